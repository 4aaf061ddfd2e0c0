import KubeModel

/// The part of a store one reflector fills when several fill it (one per watched namespace):
/// its name, and which entries belong to it.
public struct StorePartition<Entry: CacheEntry>: Sendable {
    public var name: String
    public var contains: @Sendable (Entry) -> Bool

    public init(name: String, contains: @escaping @Sendable (Entry) -> Bool) {
        self.name = name
        self.contains = contains
    }
}
