import Assess
import KubeModel

/// The incremental pass reads the caches in place: a group's pods from the pod index, objects by name.
extension ClusterCaches: ClusterLookup {
    public func podGroups() -> [PodGroupKey] { podGroupIndex.keys }
    public func pods(in group: PodGroupKey) -> [PodRecord] { podGroupIndex.pods(in: group) }
    public func namespace(_ name: String) -> Namespace? { namespaces.get(namespace: nil, name: name) }
    public func replicaSet(namespace: String, name: String) -> ReplicaSet? { replicaSets.get(namespace: namespace, name: name) }
    public func deployment(namespace: String, name: String) -> Deployment? { deployments.get(namespace: namespace, name: name) }
    public func statefulSet(namespace: String, name: String) -> StatefulSet? { statefulSets.get(namespace: namespace, name: name) }
    public func daemonSet(namespace: String, name: String) -> DaemonSet? { daemonSets.get(namespace: namespace, name: name) }
    public func replicationController(namespace: String, name: String) -> ReplicationController? {
        replicationControllers.get(namespace: namespace, name: name)
    }
    public func job(namespace: String, name: String) -> Job? { jobs.get(namespace: namespace, name: name) }
}
