/// One parsed HTTP/1.1 request with its body fully read.
public struct HTTPRequest: Sendable {
    /// e.g. "GET"
    public var method: String
    /// The raw request target, e.g. "/api/v1/pods?limit=2&watch=1".
    public var target: String
    /// The percent-decoded path without the query.
    public var path: String
    /// Percent-decoded query items in order ('+' means a space, as in Go's url.ParseQuery).
    public var queryItems: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The common name of a verified client certificate, when the server asks for one.
    public var clientCertificateCommonName: String?
    /// The client presented a certificate that did not verify against the server's client CA
    /// (the handshake goes on, as Go's `RequestClientCert` does, so the handler can answer 401).
    public var clientCertificateRejected = false
    /// The peer's address (`IP` or `[IPv6]`, without the port), for logs and rate limits.
    public var remoteAddress: String?

    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        clientCertificateCommonName: String? = nil
    ) {
        self.method = method
        self.target = target
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = PercentDecoding.decode(parts.first.map(String.init) ?? "", plusIsSpace: false)
        self.queryItems = parts.count > 1 ? PercentDecoding.queryItems(String(parts[1])) : []
        self.headers = headers
        self.body = body
        self.clientCertificateCommonName = clientCertificateCommonName
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

enum PercentDecoding {
    static func queryItems(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? decode(String(parts[1]), plusIsSpace: true) : ""
            return (name, value)
        }
    }

    static func decode(_ text: String, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
