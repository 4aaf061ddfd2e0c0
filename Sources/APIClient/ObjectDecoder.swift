import Foundation

/// The one seam through which API responses become Swift values, so the JSON decoder can be
/// swapped (for speed) and fuzzed without touching the client.
public protocol ObjectDecoder: Sendable {
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T
}

/// Foundation's `JSONDecoder`, decoding only the fields the target type declares.
public struct FoundationObjectDecoder: ObjectDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
