import Assess

/// What `token-warden explain` is asked about: `pod/NAME`, or a workload as kubectl names it
/// (`deployment/NAME`, `deploy/NAME`, `statefulset/…`, `sts/…`, `daemonset/…`, `ds/…`,
/// `replicationcontroller/…`, `rc/…`, `replicaset/…`, `rs/…`, `job/…`, `cronjob/…`, `cj/…`).
public struct ExplainTarget: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case pod = "Pod"
        case deployment = "Deployment"
        case statefulSet = "StatefulSet"
        case daemonSet = "DaemonSet"
        case replicationController = "ReplicationController"
        case replicaSet = "ReplicaSet"
        case job = "Job"
        case cronJob = "CronJob"
        /// An Argo Rollout (`rollouts.argoproj.io`).
        case rollout = "Rollout"

        /// kubectl's resource names, singular, plural and short, lower case.
        var names: [String] {
            switch self {
            case .pod: return ["pod", "pods", "po"]
            case .deployment: return ["deployment", "deployments", "deploy"]
            case .statefulSet: return ["statefulset", "statefulsets", "sts"]
            case .daemonSet: return ["daemonset", "daemonsets", "ds"]
            case .replicationController: return ["replicationcontroller", "replicationcontrollers", "rc"]
            case .replicaSet: return ["replicaset", "replicasets", "rs"]
            case .job: return ["job", "jobs"]
            case .cronJob: return ["cronjob", "cronjobs", "cj"]
            case .rollout: return ["rollout", "rollouts", "ro"]
            }
        }
    }

    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case notKindSlashName(String)
        case unknownKind(String)

        public var description: String {
            switch self {
            case .notKindSlashName(let text): return "\(text): expected KIND/NAME, e.g. pod/web-0 or deployment/web"
            case .unknownKind(let kind):
                return "\(kind): not a kind explain knows (pod, deployment, statefulset, daemonset, replicationcontroller, replicaset, job, cronjob, rollout)"
            }
        }
    }

    public var kind: Kind
    public var namespace: String
    public var name: String

    public init(kind: Kind, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `KIND/NAME` as kubectl writes it; the kind may also be `kind.group` (`deployments.apps`).
    public static func parse(_ text: String, namespace: String) -> Result<ExplainTarget, ParseError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains("/") else {
            return .failure(.notKindSlashName(text))
        }
        let kindText = parts[0].lowercased().split(separator: ".").first.map(String.init) ?? ""
        guard let kind = Kind.allCases.first(where: { $0.names.contains(kindText) }) else {
            return .failure(.unknownKind(String(parts[0])))
        }
        return .success(ExplainTarget(kind: kind, namespace: namespace, name: String(parts[1])))
    }

    public var description: String { "\(kind.rawValue) \(namespace)/\(name)" }

    /// The workload the target belongs to and, for a pod, the pod: a pod by name among every
    /// workload's pods; a workload by its own kind and name, or by an object in its owner chain
    /// (a Deployment's ReplicaSet, a CronJob above a Job).
    public func find(in assessment: Assessment) -> (workload: WorkloadAssessment, pod: PodAssessment?)? {
        let inNamespace = assessment.workloads.filter { $0.id.namespace == namespace }
        if kind == .pod {
            for workload in inNamespace {
                if let pod = workload.pods.first(where: { $0.name == name }) { return (workload, pod) }
            }
            return nil
        }
        if let own = inNamespace.first(where: { $0.id.kind.kindName == kind.rawValue && $0.id.name == name }) { return (own, nil) }
        if let owned = inNamespace.first(where: { $0.ownerChain.contains { $0.kind == kind.rawValue && $0.name == name } }) {
            return (owned, nil)
        }
        return nil
    }
}
