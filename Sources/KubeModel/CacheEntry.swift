/// What a watch cache holds: an entry with a key, the namespace it lives in and the
/// resourceVersion it reflects. Decoded API objects are entries keyed by `namespace/name`;
/// compact projections (`PodRecord`) choose a cheaper key.
public protocol CacheEntry: Sendable {
    associatedtype CacheKey: Hashable & Sendable
    var cacheKey: CacheKey { get }
    var cacheNamespace: String? { get }
    var cacheResourceVersion: String? { get }
    /// `metadata.uid` (for `CacheDigest`).
    var cacheUID: String? { get }
    static func cacheKey(namespace: String?, name: String) -> CacheKey

    // The cache table keeps entries without their keys and asks the entries instead. Entries
    // that hold their key in pieces answer without building it; the defaults build it.

    /// Feeds `hasher` so that it finalizes to `cacheKeyHash(cacheKey)`.
    func hashCacheKey(into hasher: inout Hasher)
    static func cacheKeyHash(_ key: CacheKey) -> Int
    func hasCacheKey(_ key: CacheKey) -> Bool
    func hasSameCacheKey(as other: Self) -> Bool

    /// True when this entry differs from `other`, an earlier version of it, in nothing a reader
    /// of the cache uses (its resourceVersion at most): writing it changes no answer, so the
    /// store tells nobody. Entries that cannot tell say false.
    func sameContent(as other: Self) -> Bool
}

extension CacheEntry {
    public func hashCacheKey(into hasher: inout Hasher) { hasher.combine(cacheKey) }
    public static func cacheKeyHash(_ key: CacheKey) -> Int { key.hashValue }
    public func hasCacheKey(_ key: CacheKey) -> Bool { cacheKey == key }
    public func hasSameCacheKey(as other: Self) -> Bool { cacheKey == other.cacheKey }
    public func sameContent(as other: Self) -> Bool { false }
}
