import KubeModel

/// What an incremental pass reads of the cluster: the pods of one group and objects by name,
/// never a copy of everything. The watch caches answer it in the controller; `SnapshotLookup`
/// answers it from a `ClusterSnapshot`.
public protocol ClusterLookup {
    /// Every group with at least one pod (read only for a pass that assesses everything).
    func podGroups() -> [PodGroupKey]
    func pods(in group: PodGroupKey) -> [PodRecord]
    func namespace(_ name: String) -> Namespace?
    func replicaSet(namespace: String, name: String) -> ReplicaSet?
    func deployment(namespace: String, name: String) -> Deployment?
    func statefulSet(namespace: String, name: String) -> StatefulSet?
    func daemonSet(namespace: String, name: String) -> DaemonSet?
    func replicationController(namespace: String, name: String) -> ReplicationController?
    func job(namespace: String, name: String) -> Job?
}
