/// A syntax error, worded like Go's encoding/json (the API server puts that text in its 400
/// `Status`, e.g. "invalid character 'n' looking for beginning of object key string").
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Byte offset where the error was detected.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}
