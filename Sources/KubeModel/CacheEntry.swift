/// What a watch cache holds: an entry with a key, the namespace it lives in and the
/// resourceVersion it reflects. Decoded API objects are entries keyed by `namespace/name`;
/// compact projections (`PodRecord`) choose a cheaper key.
public protocol CacheEntry: Sendable {
    associatedtype CacheKey: Hashable & Sendable
    var cacheKey: CacheKey { get }
    var cacheNamespace: String? { get }
    var cacheResourceVersion: String? { get }
    static func cacheKey(namespace: String?, name: String) -> CacheKey
}
