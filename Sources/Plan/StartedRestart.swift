import Assess
import KubeModel

/// A restart the controller started and is still driving (an eviction sequence, or a rollout
/// patch the workload's status does not show yet). Known only in memory; the cluster-side record
/// is the workload's `restarted-at` / `restart-for-deadline` annotations.
public struct StartedRestart: Hashable, Sendable {
    public var startedAt: Timestamp
    public var strategy: RestartStrategy
    public var deadline: Timestamp?

    public init(startedAt: Timestamp, strategy: RestartStrategy, deadline: Timestamp? = nil) {
        self.startedAt = startedAt
        self.strategy = strategy
        self.deadline = deadline
    }
}
