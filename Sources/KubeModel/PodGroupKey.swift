/// The pods that share one controller reference (and so resolve to one workload together), or
/// one pod alone: a bare pod, or a static pod's mirror, which is never restarted through its owner.
/// The watch cache indexes pods by it, and a pass re-assesses the workloads of the groups that changed.
public enum PodGroupKey: Hashable, Sendable {
    /// Every field of the reference takes part: the owner is found from all of them.
    case owned(namespace: String, apiVersion: String, kind: String, name: String, uid: PodUID)
    case alone(PodKey)
}

extension PodRecord {
    /// The group this pod belongs to.
    public var groupKey: PodGroupKey {
        guard !isMirror, let owner else { return .alone(key) }
        return .owned(namespace: namespace, apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.packedUID)
    }
}
