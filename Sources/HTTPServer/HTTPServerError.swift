/// Why the server could not start or a TLS operation failed.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case tls(String)
    case socket(operation: String, errno: Int32, message: String)
    case notStarted

    public var description: String {
        switch self {
        case .tls(let message): return "TLS: \(message)"
        case .socket(let operation, let code, let message): return "\(operation) failed: \(message) (errno \(code))"
        case .notStarted: return "the server is not started"
        }
    }
}
