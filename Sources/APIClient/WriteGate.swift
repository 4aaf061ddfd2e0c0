/// Fencing at the client: asked before every mutating request (POST, PUT, PATCH, DELETE) a
/// client made with `KubeClient.gated(by:)` sends, each retry after a `Retry-After` wait
/// included. When it refuses, the request is not sent and fails with `WriteFenced`.
public struct WriteGate: Sendable {
    /// True while writes may go out (e.g. the leader's lease is valid with margin).
    public let admits: @Sendable () -> Bool
    /// Why a refused write was not sent, for the error.
    public let refusal: String

    public init(refusal: String, admits: @escaping @Sendable () -> Bool) {
        self.refusal = refusal
        self.admits = admits
    }
}
