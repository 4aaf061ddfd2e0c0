import KubeModel

/// What changed in the cluster since the last pass: the inputs an incremental pass re-assesses
/// the workloads of. Collected by the controller from its watch caches.
public struct ClusterChanges: Sendable {
    /// Pod groups with a pod added, changed or removed.
    public var podGroups: Set<PodGroupKey> = []
    /// Workload objects (and ReplicaSets) added, removed, or changed in their uid or controller.
    public var objects: Set<CachedObjectKey> = []
    /// Objects changed with the same uid and controller (`ObjectMeta.hasSameOwnerLink`): only
    /// the workload that is the object is assessed again, not those it stands between (a
    /// ReplicaSet's annotations changed: not its Deployment).
    public var objectsKeepingLinks: Set<CachedObjectKey> = []
    /// Objects whose status at most changed (`KubeObject.differsAtMostInStatus`): the workload that
    /// is the object takes the rollout status read from it; nothing else it has reads a status.
    public var objectStatuses: Set<CachedObjectKey> = []
    /// Namespaces (their policy annotations) added, changed or removed.
    public var namespaces: Set<String> = []
    /// Assess everything (a cache relisted with unknown changes, or the first pass).
    public var everything = false

    /// Files a changed object under how it changed.
    public mutating func record(_ key: CachedObjectKey, _ change: ObjectChange) {
        switch change {
        case .relinked: objects.insert(key)
        case .keepingLink: objectsKeepingLinks.insert(key)
        case .status: objectStatuses.insert(key)
        }
    }

    public init(
        podGroups: Set<PodGroupKey> = [], objects: Set<CachedObjectKey> = [], objectsKeepingLinks: Set<CachedObjectKey> = [],
        objectStatuses: Set<CachedObjectKey> = [], namespaces: Set<String> = [], everything: Bool = false
    ) {
        self.podGroups = podGroups
        self.objects = objects
        self.objectsKeepingLinks = objectsKeepingLinks
        self.objectStatuses = objectStatuses
        self.namespaces = namespaces
        self.everything = everything
    }
}
