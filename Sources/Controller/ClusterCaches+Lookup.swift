import Assess
import KubeModel

/// The incremental pass reads the caches in place: a group's pods from the pod index, objects by name.
extension ClusterCaches: ClusterLookup {
    public func podGroups() -> [PodGroupKey] { podGroupIndex.keys }
    public func pods(in group: PodGroupKey) -> [PodRecord] { podGroupIndex.pods(in: group) }
    public func namespace(_ name: String) -> Namespace? { namespaces.get(namespace: nil, name: name) }
    public func object<Object: KubeObject>(_ type: Object.Type, namespace: String, name: String) -> Object? {
        cachedObject(type, namespace: namespace, name: name)
    }
}
