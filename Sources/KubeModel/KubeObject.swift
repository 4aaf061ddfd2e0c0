/// A decoded Kubernetes object the controller lists, watches and caches.
public protocol KubeObject: Codable, Sendable {
    static var resource: ResourceDescriptor { get }
    var metadata: ObjectMeta { get }
}

extension KubeObject {
    /// `namespace/name`, or `name` for cluster-scoped objects: the cache key.
    public var key: String {
        if let ns = metadata.namespace, !ns.isEmpty { return "\(ns)/\(metadata.name)" }
        return metadata.name
    }
}
