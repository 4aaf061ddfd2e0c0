import KubeModel

/// `ClusterLookup` over a `ClusterSnapshot`: pods grouped and objects keyed once. For tests and
/// one-off runs; the controller looks up its watch caches instead.
public struct SnapshotLookup: ClusterLookup {
    private var groups: [PodGroupKey: [PodRecord]] = [:]
    private var namespaces: [String: Namespace] = [:]
    private var replicaSets: [String: ReplicaSet] = [:]
    private var deployments: [String: Deployment] = [:]
    private var statefulSets: [String: StatefulSet] = [:]
    private var daemonSets: [String: DaemonSet] = [:]
    private var replicationControllers: [String: ReplicationController] = [:]
    private var jobs: [String: Job] = [:]

    public init(_ snapshot: ClusterSnapshot) {
        for pod in snapshot.pods { groups[pod.groupKey, default: []].append(pod) }
        for namespace in snapshot.namespaces { namespaces[namespace.metadata.name] = namespace }
        replicaSets = Self.keyed(snapshot.replicaSets)
        deployments = Self.keyed(snapshot.deployments)
        statefulSets = Self.keyed(snapshot.statefulSets)
        daemonSets = Self.keyed(snapshot.daemonSets)
        replicationControllers = Self.keyed(snapshot.replicationControllers)
        jobs = Self.keyed(snapshot.jobs)
    }

    private static func keyed<Object: KubeObject>(_ objects: [Object]) -> [String: Object] {
        var table: [String: Object] = [:]
        for object in objects { table[Self.key(object.metadata.namespace ?? "", object.metadata.name)] = object }
        return table
    }

    private static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    public func podGroups() -> [PodGroupKey] { Array(groups.keys) }
    public func pods(in group: PodGroupKey) -> [PodRecord] { groups[group] ?? [] }
    public func namespace(_ name: String) -> Namespace? { namespaces[name] }
    public func replicaSet(namespace: String, name: String) -> ReplicaSet? { replicaSets[Self.key(namespace, name)] }
    public func deployment(namespace: String, name: String) -> Deployment? { deployments[Self.key(namespace, name)] }
    public func statefulSet(namespace: String, name: String) -> StatefulSet? { statefulSets[Self.key(namespace, name)] }
    public func daemonSet(namespace: String, name: String) -> DaemonSet? { daemonSets[Self.key(namespace, name)] }
    public func replicationController(namespace: String, name: String) -> ReplicationController? {
        replicationControllers[Self.key(namespace, name)]
    }
    public func job(namespace: String, name: String) -> Job? { jobs[Self.key(namespace, name)] }
}
