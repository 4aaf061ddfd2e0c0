import KubeModel

/// What changed in the cluster since the last pass: the inputs an incremental pass re-assesses
/// the workloads of. Collected by the controller from its watch caches.
public struct ClusterChanges: Sendable {
    /// Pod groups with a pod added, changed or removed.
    public var podGroups: Set<PodGroupKey> = []
    /// Workload objects (and ReplicaSets) added, changed or removed.
    public var objects: Set<CachedObjectKey> = []
    /// Namespaces (their policy annotations) added, changed or removed.
    public var namespaces: Set<String> = []
    /// Assess everything (a cache relisted with unknown changes, or the first pass).
    public var everything = false

    public init(podGroups: Set<PodGroupKey> = [], objects: Set<CachedObjectKey> = [], namespaces: Set<String> = [], everything: Bool = false) {
        self.podGroups = podGroups
        self.objects = objects
        self.namespaces = namespaces
        self.everything = everything
    }
}
