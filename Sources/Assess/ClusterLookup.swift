import KubeModel

/// What an incremental pass reads of the cluster: the pods of one group and objects by name,
/// never a copy of everything. The watch caches answer it in the controller; `SnapshotLookup`
/// answers it from a `ClusterSnapshot`.
public protocol ClusterLookup {
    /// Every group with at least one pod (read only for a pass that assesses everything).
    func podGroups() -> [PodGroupKey]
    func pods(in group: PodGroupKey) -> [PodRecord]
    func namespace(_ name: String) -> Namespace?
    /// An object of a registered kind's model (`WorkloadKindRegistry`) by name; nil when it is not cached.
    func object<Object: KubeObject>(_ type: Object.Type, namespace: String, name: String) -> Object?
}
