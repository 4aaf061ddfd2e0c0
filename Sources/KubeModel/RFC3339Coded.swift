/// A time Kubernetes serialises as an RFC 3339 string (`metav1.Time`, `metav1.MicroTime`):
/// coded as that string, and shown as it.
public protocol RFC3339Coded: Codable, CustomStringConvertible {
    init?(rfc3339 text: String)
    var rfc3339: String { get }
}

extension RFC3339Coded {
    public var description: String { rfc3339 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text.prefix(64))")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
