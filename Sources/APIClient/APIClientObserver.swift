/// Receives what the client does, for metrics. Implementations must be cheap and thread-safe.
public protocol APIClientObserver: Sendable {
    /// One HTTP exchange finished: `code` is the HTTP status, or 0 when no answer came.
    func requestCompleted(verb: String, resource: String, code: Int, seconds: Double)
}

/// The observer used when nobody is watching.
public struct NoAPIClientObserver: APIClientObserver {
    public init() {}
    public func requestCompleted(verb: String, resource: String, code: Int, seconds: Double) {}
}
