import Foundation
import KubeSim

/// A minimal blocking HTTP/1.1 client over a loopback socket (plain HTTP), for checking exact
/// response framing: status, headers, Content-Length bodies and individual chunks.
final class RawHTTPClient {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        /// Chunk payloads in order (chunked responses); `terminated` when the zero chunk arrived.
        var chunks: [[UInt8]]
        var terminated: Bool

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> JSONValue { try JSONParser.parse(body) }
        /// Watch lines (one JSON object per line), across chunks.
        var lines: [String] {
            text.split(separator: "\n").map(String.init)
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
    }

    func send(_ method: String, _ target: String, token: String?, headers: [(String, String)] = [],
              body: [UInt8] = []) {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        _ = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response. `maxChunks` stops reading a stream early (the connection is then unusable).
    func receive(maxChunks: Int = .max) -> Response? {
        guard let headEnd = readUntil([13, 10, 13, 10]) else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
        let headers: [(String, String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [], chunks: [], terminated: false)
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while response.chunks.count < maxChunks {
                guard let lineEnd = readUntil([13, 10]) else { break }
                let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16) ?? -1
                buffer.removeFirst(lineEnd + 2)
                if size == 0 {
                    _ = readUntil([13, 10]).map { buffer.removeFirst($0 + 2) }
                    response.terminated = true
                    break
                }
                guard size > 0, fill(atLeast: size + 2) else { break }
                let chunk = Array(buffer[..<size])
                buffer.removeFirst(size + 2)
                response.chunks.append(chunk)
                response.body += chunk
            }
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            guard fill(atLeast: length) else { return response }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return response
    }

    /// One request, one response.
    func request(_ method: String, _ target: String, token: String?, headers: [(String, String)] = [],
                 body: [UInt8] = [], maxChunks: Int = .max) -> Response? {
        send(method, target, token: token, headers: headers, body: body)
        return receive(maxChunks: maxChunks)
    }

    private func readUntil(_ needle: [UInt8]) -> Int? {
        var from = 0
        while true {
            if buffer.count >= needle.count {
                for index in from...(buffer.count - needle.count) where buffer[index..<index + needle.count].elementsEqual(needle) {
                    return index
                }
                from = buffer.count - needle.count + 1
            }
            guard readMore() else { return nil }
        }
    }

    private func fill(atLeast count: Int) -> Bool {
        while buffer.count < count {
            guard readMore() else { return false }
        }
        return true
    }

    private func readMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[..<n]
        return true
    }
}
