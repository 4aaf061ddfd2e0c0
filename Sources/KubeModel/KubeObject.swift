/// A decoded Kubernetes object the controller lists, watches and caches.
public protocol KubeObject: CacheEntry, Codable where CacheKey == String {
    static var resource: ResourceDescriptor { get }
    var metadata: ObjectMeta { get }
}

extension KubeObject {
    /// `namespace/name`, or `name` for cluster-scoped objects: the cache key.
    public var key: String {
        if let ns = metadata.namespace, !ns.isEmpty { return "\(ns)/\(metadata.name)" }
        return metadata.name
    }

    public var cacheKey: String { key }
    public var cacheNamespace: String? { metadata.namespace }
    public var cacheResourceVersion: String? { metadata.resourceVersion }

    public static func cacheKey(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }
}
