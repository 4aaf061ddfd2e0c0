/// What owns a group of pods, after following owner references to the top.
public enum WorkloadKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    case deployment
    case statefulSet
    case daemonSet
    case replicationController
    /// A ReplicaSet without a Deployment above it.
    case replicaSet
    /// A Job (possibly created by a CronJob; see `WorkloadAssessment.ownerChain`).
    case job
    /// A pod without a controller.
    case pod
    /// A controller this project does not know (`kind`, `apiVersion` from the owner reference).
    case custom(kind: String, apiVersion: String)

    /// The Kubernetes kind name.
    public var kindName: String {
        switch self {
        case .deployment: return "Deployment"
        case .statefulSet: return "StatefulSet"
        case .daemonSet: return "DaemonSet"
        case .replicationController: return "ReplicationController"
        case .replicaSet: return "ReplicaSet"
        case .job: return "Job"
        case .pod: return "Pod"
        case .custom(let kind, _): return kind
        }
    }

    public var description: String { kindName }

    public static func < (a: WorkloadKind, b: WorkloadKind) -> Bool { a.kindName < b.kindName }

    /// Per-kind restart behaviour: the one table every decision consults.
    public struct Traits: Sendable {
        /// What happens unless an annotation chooses otherwise.
        public var defaultStrategy: RestartStrategy
        /// What an annotation may choose for this kind.
        public var allowedStrategies: Set<RestartStrategy>
    }

    public var traits: Traits {
        switch self {
        case .deployment, .statefulSet, .daemonSet:
            return Traits(defaultStrategy: .rollout, allowedStrategies: [.rollout, .evict])
        case .replicationController, .replicaSet, .custom:
            return Traits(defaultStrategy: .evict, allowedStrategies: [.evict])
        case .job:
            // Evicting a Job's pod costs its work; only when the Job itself opts in.
            return Traits(defaultStrategy: .warnOnly, allowedStrategies: [.evict])
        case .pod:
            // Nothing recreates an evicted bare pod; only `recreate` (opt-in) may replace it.
            return Traits(defaultStrategy: .warnOnly, allowedStrategies: [.recreate])
        }
    }

    /// Whether the kind has a pod template a rollout restart can patch.
    public var hasRollout: Bool { traits.allowedStrategies.contains(.rollout) }
}
