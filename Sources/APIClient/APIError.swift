import Transport

/// A failed API call. HTTP errors carry the server's own `Status` (reason, code, message) so the
/// caller can act on the reason and a person can read the server's words.
public enum APIError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a non-2xx status. `retryAfterSeconds` comes from the
    /// `Retry-After` header (429, 503) or the Status details.
    case status(code: Int, status: APIStatus, retryAfterSeconds: Int?, verb: String, path: String)
    /// The request never got an HTTP answer.
    case transport(TransportError)
    /// The server answered 2xx but the body was not what the API promises.
    case decoding(what: String, path: String, detail: String)
    /// A watch stream ended with an `ERROR` event (410 Expired when the resourceVersion is too old).
    case watchError(APIStatus)

    public var code: Int? {
        switch self {
        case .status(let code, _, _, _, _): return code
        case .watchError(let status): return status.code
        case .transport, .decoding: return nil
        }
    }

    public var reason: String? {
        switch self {
        case .status(_, let status, _, _, _), .watchError(let status): return status.reason
        case .transport, .decoding: return nil
        }
    }

    /// The resourceVersion is too old: list again (HTTP 410, or a watch ERROR event with 410).
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }
    public var isNotFound: Bool { code == 404 }
    public var isConflict: Bool { code == 409 }
    public var isForbidden: Bool { code == 403 }
    public var isUnauthorized: Bool { code == 401 }
    public var isTooManyRequests: Bool { code == 429 }

    /// A write that failed this way may have been carried out all the same: the connection was
    /// lost or timed out after the request went out, or the server failed (5xx, a 504 request
    /// timeout above all) possibly after committing it. Such a write is checked against the
    /// server before it is reported as failed or sent again.
    public var outcomeUnknown: Bool {
        switch self {
        case .status(let code, _, _, _, _): return code >= 500
        case .transport(let error):
            switch error.kind {
            case .timedOut, .connectionLost, .other: return true
            case .invalidRequest, .couldNotConnect, .tlsVerificationFailed, .tlsSetupFailed, .cancelled: return false
            }
        case .decoding, .watchError: return false
        }
    }

    public var description: String {
        switch self {
        case .status(let code, let status, _, let verb, let path):
            let reason = status.reason.map { " \($0)" } ?? ""
            return "\(verb) \(path): \(code)\(reason): \(status.message ?? "(no message)")"
        case .transport(let error):
            return error.description
        case .decoding(let what, let path, let detail):
            return "\(path): cannot decode \(what): \(detail)"
        case .watchError(let status):
            return "watch error \(status.code ?? 0) \(status.reason ?? ""): \(status.message ?? "")"
        }
    }
}
