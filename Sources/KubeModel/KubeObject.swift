/// A decoded Kubernetes object the controller lists, watches and caches.
public protocol KubeObject: CacheEntry, Codable where CacheKey == String {
    static var resource: ResourceDescriptor { get }
    var metadata: ObjectMeta { get set }
    /// The object as a watch cache keeps it (see `CachedMetadata`).
    var cachedForm: Self { get }
    /// Whether `other`, an earlier version of this object, differs from it in nothing but its
    /// status and its resourceVersion. Objects without a status say false.
    func differsAtMostInStatus(from other: Self) -> Bool
}

extension KubeObject {
    public func differsAtMostInStatus(from other: Self) -> Bool { false }

    public var cachedForm: Self {
        var kept = self
        kept.metadata = CachedMetadata.metadata(metadata)
        return kept
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the cache key.
    public var key: String {
        if let ns = metadata.namespace, !ns.isEmpty { return "\(ns)/\(metadata.name)" }
        return metadata.name
    }

    public var cacheKey: String { key }
    public var cacheNamespace: String? { metadata.namespace }
    public var cacheResourceVersion: String? { metadata.resourceVersion }
    public var cacheUID: String? { metadata.uid }

    // The key's bytes, hashed and compared in place: a store of 48k ReplicaSets would otherwise
    // build a `namespace/name` string per probe.
    public func hashCacheKey(into hasher: inout Hasher) {
        if let ns = metadata.namespace, !ns.isEmpty {
            UTF8Parts.hash(ns, "/", metadata.name, into: &hasher)
        } else {
            UTF8Parts.hash(metadata.name, into: &hasher)
        }
    }

    public static func cacheKeyHash(_ key: String) -> Int {
        var hasher = Hasher()
        UTF8Parts.hash(key, into: &hasher)
        return hasher.finalize()
    }

    public func hasCacheKey(_ key: String) -> Bool {
        if let ns = metadata.namespace, !ns.isEmpty { return UTF8Parts.equals(key, ns, "/", metadata.name) }
        return UTF8Parts.equals(key, metadata.name)
    }

    public func hasSameCacheKey(as other: Self) -> Bool {
        UTF8Parts.equals(metadata.name, other.metadata.name)
            && UTF8Parts.equals(metadata.namespace ?? "", other.metadata.namespace ?? "")
    }

    public static func cacheKey(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }
}
