/// Why a patch could not be applied. `isBadRequest` separates malformed patches (the API server
/// answers 400 BadRequest) from well-formed ones that do not apply (422 Invalid, e.g. a failed
/// JSON-patch `test` or a path that does not exist).
public struct PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let isBadRequest: Bool

    public init(_ message: String, isBadRequest: Bool = false) {
        self.message = message
        self.isBadRequest = isBadRequest
    }

    public var description: String { message }
}
