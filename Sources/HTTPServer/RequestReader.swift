/// Reads HTTP/1.1 requests from a channel: request line, headers, and a body by Content-Length or
/// chunked transfer coding. Keeps bytes that arrive early (pipelining) for the next request.
struct RequestReader {
    enum Outcome {
        case request(HTTPRequest)
        /// The peer closed between requests.
        case endOfStream
        /// A malformed or oversized request: answer with this status and close.
        case reject(status: Int, message: String)
        /// Refused by the server's screen on its head alone: answered without reading the body,
        /// then the connection is closed.
        case screened(HTTPRequest)
    }

    static let maxHeaderBytes = 1 << 20
    static let defaultMaxBodyBytes = 64 << 20

    private let channel: Channel
    /// A longer body is answered with 413 before it is read.
    private let maxBodyBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// What `fill` reads into, allocated once per connection. Growing `buffer` by a zeroed chunk
    /// before each read cost a 64 KB fill per request, element by element in a debug build.
    private var scratch: [UInt8] = []

    init(channel: Channel, maxBodyBytes: Int = RequestReader.defaultMaxBodyBytes) {
        self.channel = channel
        self.maxBodyBytes = maxBodyBytes
    }

    /// `sendContinue` writes the interim "100 Continue" when the client expects it. `screen`
    /// sees the request line and headers before the body is read; false: `.screened`.
    mutating func next(sendContinue: () -> Bool, screen: ((HTTPRequest) -> Bool)? = nil) -> Outcome {
        guard let headerEnd = readHead() else {
            if buffer.count - start == 0 { return .endOfStream }
            if buffer.count - start > Self.maxHeaderBytes {
                return .reject(status: 400, message: "request headers too large")
            }
            return .endOfStream
        }
        let head = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
        start = headerEnd + 4
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return .reject(status: 400, message: "empty request") }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .reject(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                return .reject(status: 400, message: "malformed header line")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append((name, value))
        }
        var request = HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
        if requestLine[2] == "HTTP/1.0" { request.headers.append(("X-Http-Version", "1.0")) }
        if let screen, !screen(request) { return .screened(request) }
        if request.header("Expect")?.lowercased() == "100-continue" {
            guard sendContinue() else { return .endOfStream }
        }
        if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            switch readChunkedBody() {
            case .success(let body): request.body = body
            case .failure(let rejection): return rejection.outcome
            }
        } else if let lengthText = request.header("Content-Length") {
            guard let length = Int(lengthText), length >= 0 else {
                return .reject(status: 400, message: "invalid Content-Length")
            }
            guard length <= maxBodyBytes else {
                return .reject(status: 413, message: "request body too large")
            }
            guard let body = readExactly(length) else { return .endOfStream }
            request.body = body
        }
        compact()
        return .request(request)
    }

    private struct Rejection: Error {
        let outcome: Outcome
    }

    private mutating func readChunkedBody() -> Result<[UInt8], Rejection> {
        var body: [UInt8] = []
        while true {
            guard let line = readLine() else { return .failure(Rejection(outcome: .endOfStream)) }
            let sizeText = line.split(separator: ";").first.map(String.init)?.trimmingSpaces() ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                return .failure(Rejection(outcome: .reject(status: 400, message: "invalid chunk size")))
            }
            if size == 0 {
                // Trailers, until the empty line.
                while let trailer = readLine(), !trailer.isEmpty {}
                return .success(body)
            }
            guard body.count + size <= maxBodyBytes else {
                return .failure(Rejection(outcome: .reject(status: 413, message: "request body too large")))
            }
            guard let chunk = readExactly(size), readLine() != nil else {
                return .failure(Rejection(outcome: .endOfStream))
            }
            body.append(contentsOf: chunk)
        }
    }

    /// The index of "\r\n\r\n" ending the head, reading more as needed.
    private mutating func readHead() -> Int? {
        var scanned = 0  // relative to `start`, which moves when the buffer is compacted
        while true {
            if let end = find(crlfcrlf, from: start + scanned) { return end }
            scanned = max(0, buffer.count - start - 3)
            if buffer.count - start > Self.maxHeaderBytes { return nil }
            guard fill() else { return nil }
        }
    }

    private mutating func readLine() -> String? {
        var scanned = 0
        while true {
            if let end = find([13, 10], from: start + scanned) {
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 2
                return line
            }
            scanned = max(0, buffer.count - start - 1)
            if buffer.count - start > Self.maxHeaderBytes { return nil }
            guard fill() else { return nil }
        }
    }

    private mutating func readExactly(_ count: Int) -> [UInt8]? {
        while buffer.count - start < count {
            guard fill() else { return nil }
        }
        let bytes = Array(buffer[start..<start + count])
        start += count
        return bytes
    }

    private let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        var index = from
        let last = buffer.count - needle.count
        while index <= last {
            if buffer[index] == needle[0] {
                var matches = true
                for offset in 1..<needle.count where buffer[index + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return index }
            }
            index += 1
        }
        return nil
    }

    /// Reads more bytes; false at end of stream or on error.
    private mutating func fill() -> Bool {
        compact()
        if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: 64 * 1024) }
        let n = scratch.withUnsafeMutableBytes { channel.read(into: $0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: scratch[0..<n])
        return true
    }

    private mutating func compact() {
        if start > 0 && (start == buffer.count || start > 256 * 1024) {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
