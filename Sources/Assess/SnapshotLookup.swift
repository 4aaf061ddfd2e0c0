import KubeModel

/// `ClusterLookup` over a `ClusterSnapshot`: pods grouped and objects keyed once. For tests and
/// one-off runs; the controller looks up its watch caches instead.
public struct SnapshotLookup: ClusterLookup {
    private var groups: [PodGroupKey: [PodRecord]] = [:]
    private var namespaces: [String: Namespace] = [:]
    /// Per registered kind's model: its objects by "namespace/name".
    private var objects: [ObjectIdentifier: [String: any KubeObject]] = [:]

    public init(_ snapshot: ClusterSnapshot) {
        for pod in snapshot.pods { groups[pod.groupKey, default: []].append(pod) }
        for namespace in snapshot.namespaces { namespaces[namespace.metadata.name] = namespace }
        for spec in WorkloadKindRegistry.all { objects[ObjectIdentifier(spec.model)] = Self.keyed(spec.model, in: snapshot) }
    }

    private static func keyed<Object: KubeObject>(_ type: Object.Type, in snapshot: ClusterSnapshot) -> [String: any KubeObject] {
        var table: [String: any KubeObject] = [:]
        for object in snapshot.listed(type) ?? [] { table[Self.key(object.metadata.namespace ?? "", object.metadata.name)] = object }
        return table
    }

    private static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    public func podGroups() -> [PodGroupKey] { Array(groups.keys) }
    public func pods(in group: PodGroupKey) -> [PodRecord] { groups[group] ?? [] }
    public func namespace(_ name: String) -> Namespace? { namespaces[name] }
    public func object<Object: KubeObject>(_ type: Object.Type, namespace: String, name: String) -> Object? {
        objects[ObjectIdentifier(type)]?[Self.key(namespace, name)] as? Object
    }
}
