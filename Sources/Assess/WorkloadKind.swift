/// What owns a group of pods, after following owner references to the top.
public enum WorkloadKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    case deployment
    case statefulSet
    case daemonSet
    /// An Argo Rollout (`argoproj.io`), read only where the API server serves it.
    case argoRollout
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
        case .argoRollout: return "Rollout"
        case .replicationController: return "ReplicationController"
        case .replicaSet: return "ReplicaSet"
        case .job: return "Job"
        case .pod: return "Pod"
        case .custom(let kind, _): return kind
        }
    }

    public var description: String { kindName }

    public static func < (a: WorkloadKind, b: WorkloadKind) -> Bool { a.kindName < b.kindName }

    /// Per-kind restart behaviour (from the kind's `WorkloadKindSpec`).
    public struct Traits: Sendable {
        /// What happens unless an annotation chooses otherwise.
        public var defaultStrategy: RestartStrategy
        /// What an annotation may choose for this kind.
        public var allowedStrategies: Set<RestartStrategy>

        public init(defaultStrategy: RestartStrategy, allowedStrategies: Set<RestartStrategy>) {
            self.defaultStrategy = defaultStrategy
            self.allowedStrategies = allowedStrategies
        }
    }

    public var traits: Traits {
        if let spec = WorkloadKindRegistry.spec(for: self) { return spec.traits }
        switch self {
        case .pod:
            // Nothing recreates an evicted bare pod; only `recreate` (opt-in) may replace it.
            return Traits(defaultStrategy: .warnOnly, allowedStrategies: [.recreate])
        default:
            // A custom owner: its pods can be evicted, the owner cannot be patched.
            return Traits(defaultStrategy: .evict, allowedStrategies: [.evict])
        }
    }

    /// Whether the kind has a pod template a rollout restart can patch.
    public var hasRollout: Bool { traits.allowedStrategies.contains(.rollout) }
}
