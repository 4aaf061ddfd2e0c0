import CCurl
import Synchronization

/// One request in flight: its easy handle and where its results go.
///
/// Everything but `cancelRequested` is touched only on the multi loop's thread.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        case buffered(CheckedContinuation<TransportResponse, any Error>)
        case stream(head: CheckedContinuation<ResponseHead, any Error>, body: AsyncThrowingStream<[UInt8], any Error>.Continuation,
                    flow: StreamFlow?)
    }

    let handle: UnsafeMutableRawPointer
    let url: String
    private let delivery: Delivery
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var headDelivered = false
    private var finished = false
    let cancelRequested = Atomic<Bool>(false)

    init(request: TransportRequest, tls: TLSSettings, delivery: Delivery) throws {
        _ = CurlGlobal.initialised
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, message: "curl_easy_init failed", url: request.url)
        }
        self.handle = handle
        self.url = request.url
        self.delivery = delivery
        if case .buffered = delivery, let buffer = request.receiveBuffer { body = buffer.take() }
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        do {
            try configure(request, tls: tls)
        } catch {
            releaseResources()
            throw error
        }
    }

    private func configure(_ request: TransportRequest, tls: TLSSettings) throws {
        let options = CurlEasyOptions(handle: handle, url: url)
        try options.set(CURLOPT_URL, request.url)
        try options.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try options.set(CURLOPT_NOSIGNAL, 1)
        try options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try options.set(CURLOPT_FOLLOWLOCATION, 0)
        try options.set(CURLOPT_ACCEPT_ENCODING, "")
        try options.set(CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        try options.set(CURLOPT_TCP_KEEPALIVE, 1)
        try options.set(CURLOPT_TCP_KEEPIDLE, 30)
        try options.set(CURLOPT_TCP_KEEPINTVL, 15)
        if let total = request.timeoutSeconds {
            try options.set(CURLOPT_TIMEOUT_MS, Int(total * 1000))
        }
        if let stall = request.stallTimeoutSeconds {
            try options.set(CURLOPT_LOW_SPEED_LIMIT, 1)
            try options.set(CURLOPT_LOW_SPEED_TIME, stall)
        }

        switch request.method {
        case "GET": try options.set(CURLOPT_HTTPGET, 1)
        case "HEAD": try options.set(CURLOPT_NOBODY, 1)
        case "POST": break
        default: try options.set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            try options.set(CURLOPT_POSTFIELDSIZE_LARGE, body.count)
            var copy = body
            let code = copy.withUnsafeMutableBytes {
                tw_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeMutableRawPointer(errorBuffer))
            }
            guard code == CURLE_OK else {
                throw TransportError(kind: .invalidRequest, curlCode: Int(code.rawValue), message: "cannot set request body", url: url)
            }
        } else if request.method == "POST" {
            try options.set(CURLOPT_POSTFIELDSIZE_LARGE, 0)
            try options.set(CURLOPT_COPYPOSTFIELDS, "")
        }

        // "Expect:" stops libcurl from waiting for 100 Continue before sending large bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let appended = curl_slist_append(headerList, line) else {
                throw TransportError(kind: .other, message: "out of memory building request headers", url: url)
            }
            headerList = appended
        }
        guard tw_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) == CURLE_OK else {
            throw TransportError(kind: .invalidRequest, message: "cannot set request headers", url: url)
        }

        try configureTLS(tls, options)

        let me = Unmanaged.passUnretained(self).toOpaque()
        guard tw_easy_setopt_write_function(handle, curlWriteCallback) == CURLE_OK,
              tw_easy_setopt_header_function(handle, curlHeaderCallback) == CURLE_OK
        else { throw TransportError(kind: .invalidRequest, message: "cannot install callbacks", url: url) }
        try options.set(CURLOPT_WRITEDATA, pointer: me)
        try options.set(CURLOPT_HEADERDATA, pointer: me)
    }

    private func configureTLS(_ tls: TLSSettings, _ options: CurlEasyOptions) throws {
        try options.set(CURLOPT_SSL_VERIFYPEER, tls.insecureSkipVerify ? 0 : 1)
        try options.set(CURLOPT_SSL_VERIFYHOST, tls.insecureSkipVerify ? 0 : 2)
        switch tls.certificateAuthority {
        case .file(let path): try options.set(CURLOPT_CAINFO, path)
        case .pem(let bytes): try options.set(CURLOPT_CAINFO_BLOB, blob: bytes)
        case nil: break
        }
        switch tls.clientCertificate {
        case .file(let path): try options.set(CURLOPT_SSLCERT, path)
        case .pem(let bytes): try options.set(CURLOPT_SSLCERT_BLOB, blob: bytes)
        case nil: break
        }
        switch tls.clientKey {
        case .file(let path): try options.set(CURLOPT_SSLKEY, path)
        case .pem(let bytes): try options.set(CURLOPT_SSLKEY_BLOB, blob: bytes)
        case nil: break
        }
        if tls.clientCertificate != nil {
            try options.set(CURLOPT_SSLCERTTYPE, "PEM")
            try options.set(CURLOPT_SSLKEYTYPE, "PEM")
        }
    }

    // MARK: Callbacks (loop thread)

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line: a 100 Continue or a redirect came before; start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers.removeAll(keepingCapacity: true)
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingEdges(of: " \t")
            headers.append((name, value))
        }
    }

    /// false: the stream's consumer is behind; pause the transfer (the bytes come again on resume).
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch delivery {
        case .buffered:
            if body.isEmpty, let length = headerValue("content-length").flatMap(Int.init), length > 0, length < 1 << 31 {
                body.reserveCapacity(length)
            }
            body.append(contentsOf: bytes)
        case .stream(_, let stream, let flow):
            deliverHead()
            if let flow, !flow.admit(bytes.count) { return false }
            stream.yield(Array(bytes))
        }
        return true
    }

    private func headerValue(_ lowercasedName: String) -> String? {
        headers.first { $0.name.lowercased() == lowercasedName }?.value
    }

    private func deliverHead() {
        guard !headDelivered, case .stream(let head, _, _) = delivery else { return }
        headDelivered = true
        head.resume(returning: ResponseHead(status: status, headers: headers))
    }

    // MARK: Completion (loop thread)

    /// Called once, when libcurl reports the transfer done (or it was cancelled or never started).
    func complete(result: CURLcode) {
        guard !finished else { return }
        finished = true
        if result == CURLE_OK {
            var code = 0
            if tw_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK, code != 0 { status = code }
            let head = ResponseHead(status: status, headers: headers)
            switch delivery {
            case .buffered(let continuation):
                var received: [UInt8] = []
                swap(&received, &body)  // the response holds the only reference: its buffer can be reused
                continuation.resume(returning: TransportResponse(head: head, body: received))
            case .stream(_, let stream, _):
                deliverHead()
                stream.finish()
            }
        } else {
            fail(error(for: result))
        }
        releaseResources()
    }

    private func fail(_ error: TransportError) {
        switch delivery {
        case .buffered(let continuation):
            continuation.resume(throwing: error)
        case .stream(let head, let stream, _):
            if headDelivered {
                stream.finish(throwing: error)
            } else {
                headDelivered = true
                head.resume(throwing: error)
                stream.finish(throwing: error)
            }
        }
    }

    private func error(for result: CURLcode) -> TransportError {
        if cancelRequested.load(ordering: .relaxed) {
            return TransportError(kind: .cancelled, curlCode: 0, message: "request cancelled", url: url)
        }
        let detail = String(cString: errorBuffer)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
        let code = Int(result.rawValue)
        let kind: TransportError.Kind
        let message: String
        switch result {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .couldNotConnect
            message = "cannot connect: \(text)"
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
            message = "timed out: \(text)"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tlsVerificationFailed
            message = "the server's TLS certificate could not be verified against the configured CA: \(text)"
        case CURLE_SSL_CACERT_BADFILE:
            kind = .tlsSetupFailed
            message = "the CA certificate could not be loaded: \(text)"
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_CRL_BADFILE:
            kind = .tlsSetupFailed
            message = "the client certificate or key could not be used: \(text)"
        case CURLE_SSL_CONNECT_ERROR:
            kind = .tlsSetupFailed
            message = "TLS handshake failed: \(text)"
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .connectionLost
            message = "connection lost: \(text)"
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidRequest
            message = "invalid URL: \(text)"
        default:
            kind = .other
            message = text
        }
        return TransportError(kind: kind, curlCode: code, message: message, url: url)
    }

    private func releaseResources() {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer.deallocate()
    }

    /// Ends a transfer that never reached libcurl (cancelled before it was added).
    func abandon() {
        guard !finished else { return }
        finished = true
        fail(TransportError(kind: .cancelled, message: "request cancelled", url: url))
        releaseResources()
    }
}

private let curlWriteCallback: tw_data_callback = { pointer, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: length)) ? length : tw_writefunc_pause()
}

private let curlHeaderCallback: tw_data_callback = { pointer, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}

extension String {
    fileprivate func trimmingEdges(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
