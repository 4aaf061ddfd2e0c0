import KubeModel

/// How a cached workload object changed, as far as the assessments that depend on it care.
public enum ObjectChange: Sendable {
    /// Added, deleted, or given another uid or controller: every workload that depends on it.
    case relinked
    /// Its uid and controller kept (`ObjectMeta.hasSameOwnerLink`): the workload it is.
    case keepingLink
    /// Its status at most (`KubeObject.differsAtMostInStatus`): the workload it is, its rollout status.
    case status

    public init<Object: KubeObject>(_ object: Object, replacing previous: Object?) {
        guard let previous else { self = .relinked; return }
        if object.differsAtMostInStatus(from: previous) {
            self = .status
        } else {
            self = object.metadata.hasSameOwnerLink(as: previous.metadata) ? .keepingLink : .relinked
        }
    }
}
