import KubeModel
import Plan

/// An eviction sequence as the reconciler sees it: the decision to drive it with and when it
/// gives up if nothing moves.
public struct RunningEviction: Sendable {
    public var decision: Decision
    public var restartedAt: Timestamp
    public var lastProgress: Timestamp

    public init(decision: Decision, restartedAt: Timestamp, lastProgress: Timestamp) {
        self.decision = decision
        self.restartedAt = restartedAt
        self.lastProgress = lastProgress
    }
}
