/// The `HTTPResponseWriter` of one connection: frames responses (Content-Length or chunked) and
/// remembers whether the connection can be reused afterwards.
final class ConnectionWriter: HTTPResponseWriter {
    enum State {
        case idle, responded, streaming, streamEnded, aborted
    }

    private let channel: Channel
    private let isHead: Bool
    private(set) var state: State = .idle
    /// Set when the response or request asked to close, or a write failed.
    private(set) var mustClose: Bool

    init(channel: Channel, request: HTTPRequest) {
        self.channel = channel
        self.isHead = request.method == "HEAD"
        let connection = request.header("Connection")?.lowercased() ?? ""
        let http10 = request.header("X-Http-Version") == "1.0"
        self.mustClose = connection.contains("close") || (http10 && !connection.contains("keep-alive"))
    }

    func respond(status: Int, headers: [(String, String)], body: [UInt8]) {
        guard state == .idle else { return }
        state = .responded
        var head = statusLine(status) + commonHeaders(headers)
        head += "Content-Length: \(body.count)\r\n\r\n"
        var bytes = Array(head.utf8)
        if !isHead { bytes.append(contentsOf: body) }
        if !channel.writeAll(bytes) { mustClose = true }
    }

    @discardableResult
    func startStream(status: Int, headers: [(String, String)]) -> Bool {
        guard state == .idle else { return false }
        state = .streaming
        let head = statusLine(status) + commonHeaders(headers) + "Transfer-Encoding: chunked\r\n\r\n"
        if !channel.writeAll(Array(head.utf8)) {
            mustClose = true
            return false
        }
        return true
    }

    @discardableResult
    func writeChunk(_ bytes: [UInt8]) -> Bool {
        guard state == .streaming, !mustClose else { return false }
        guard !bytes.isEmpty else { return !channel.isInterrupted }  // an empty chunk would end the stream
        var frame = Array(String(bytes.count, radix: 16).utf8)
        frame.append(contentsOf: [13, 10])
        frame.append(contentsOf: bytes)
        frame.append(contentsOf: [13, 10])
        if !channel.writeAll(frame) {
            mustClose = true
            return false
        }
        return true
    }

    func endStream() {
        guard state == .streaming else { return }
        state = .streamEnded
        if mustClose || !channel.writeAll(Array("0\r\n\r\n".utf8)) { mustClose = true }
    }

    func abortConnection() {
        state = .aborted
        mustClose = true
        channel.interrupt()
    }

    var isClosed: Bool {
        state == .aborted || channel.peerGone
    }

    private func statusLine(_ status: Int) -> String {
        "HTTP/1.1 \(status) \(HTTPStatusText.reason(status))\r\n"
    }

    private func commonHeaders(_ headers: [(String, String)]) -> String {
        // A handler may set the Date (a simulated server with a skewed clock); otherwise now.
        let date = headers.first(where: { $0.0.lowercased() == "date" })?.1 ?? HTTPDate.now()
        var text = "Date: \(date)\r\n"
        for (name, value) in headers {
            let lowered = name.lowercased()
            if lowered == "content-length" || lowered == "transfer-encoding" || lowered == "date" { continue }
            if lowered == "connection" && value.lowercased().contains("close") { mustClose = true }
            text += "\(name): \(value)\r\n"
        }
        if mustClose && !headers.contains(where: { $0.0.lowercased() == "connection" }) {
            text += "Connection: close\r\n"
        }
        return text
    }
}

enum HTTPStatusText {
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "Request Entity Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}
