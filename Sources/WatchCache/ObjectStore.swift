import APIClient
import KubeModel
import Synchronization

/// The watch cache for one resource: entries by key, the resourceVersion they reflect, and
/// whether the first full list has arrived. A relist replaces everything in one step, so a
/// reader never sees a half-old, half-new cache; the changes it implies are reported like events.
/// Entries are decoded objects, or compact records made from them (`PodRecord`).
public final class ObjectStore<Object: CacheEntry>: Sendable {
    private struct State {
        var items = EntryTable<Object>()
        var resourceVersion = ""
        var synced = false
        /// With several reflectors filling the store: the partitions that must list before it
        /// counts as synced, and those that have.
        var expectedPartitions: Set<String> = []
        var syncedPartitions: Set<String> = []
    }

    private let state = Mutex(State())
    private let onChange: @Sendable (StoreChange<Object>) -> Void
    private let index: (any StoreIndex<Object>)?

    /// - Parameter index: kept in step with every write, under the store's lock.
    public init(index: (any StoreIndex<Object>)? = nil, onChange: @escaping @Sendable (StoreChange<Object>) -> Void = { _ in }) {
        self.index = index
        self.onChange = onChange
    }

    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// The store is filled by one reflector per partition (`names`): it has synced once every one
    /// of them has swapped in its first list, not as soon as the first has.
    public func expectPartitions(_ names: Set<String>) {
        state.withLock { s in
            s.expectedPartitions = names
            s.synced = !names.isEmpty && names.isSubset(of: s.syncedPartitions)
        }
    }
    public var resourceVersion: String { state.withLock { $0.resourceVersion } }
    public var count: Int { state.withLock { $0.items.count } }

    public func get(_ key: Object.CacheKey) -> Object? { state.withLock { $0.items[key] } }

    public func get(namespace: String?, name: String) -> Object? {
        get(Object.cacheKey(namespace: namespace, name: name))
    }

    /// A consistent copy of every cached entry.
    public func list() -> [Object] { state.withLock { $0.items.values } }

    /// The digest of every cached entry's uid and resourceVersion, taken in one step (what
    /// `/debug/caches` shows to compare the cache with the server's objects).
    public func digest(resource: String) -> CacheDigest {
        state.withLock { s in
            var digest = CacheDigest(resource: resource)
            s.items.forEach { digest.add(uid: $0.cacheUID ?? "", resourceVersion: $0.cacheResourceVersion ?? "") }
            return digest
        }
    }

    /// Swaps in a full list atomically; reports additions, changes and disappearances.
    /// `partition` limits the swap to the entries one reflector owns (one namespace of several
    /// watched into the same store); nil means the list is the whole store.
    public func replace(_ objects: [Object], resourceVersion: String, partition: StorePartition<Object>? = nil) {
        var fresh = EntryTable<Object>(capacity: objects.count)
        for object in objects { fresh.upsert(object) }
        let old = state.withLock { s -> EntryTable<Object> in
            var old: EntryTable<Object>
            if let partition {
                old = EntryTable()
                s.items.forEach { if partition.contains($0) { old.upsert($0) } }
                old.forEach { s.items.remove(sameKeyAs: $0) }
                fresh.forEach { s.items.upsert($0) }
            } else {
                old = s.items
                s.items = fresh
            }
            if let index {
                old.forEach { index.update(old: $0, new: nil, changed: true) }
                fresh.forEach { index.update(old: nil, new: $0, changed: true) }
            }
            s.resourceVersion = resourceVersion
            if let partition { s.syncedPartitions.insert(partition.name) }
            s.synced = s.expectedPartitions.isSubset(of: s.syncedPartitions)
            return old
        }
        old.forEach { if fresh.entry(sameKeyAs: $0) == nil { onChange(.deleted($0)) } }
        fresh.forEach { object in
            let previous = old.entry(sameKeyAs: object)
            if previous?.cacheResourceVersion != object.cacheResourceVersion { onChange(.upserted(object, previous: previous)) }
        }
    }

    /// An added or modified entry. A modification that changes nothing readers use
    /// (`CacheEntry.sameContent`) is stored but not reported.
    public func upsert(_ object: Object) {
        // Not a tuple out of the lock: in this generic code that built the tuple's type metadata
        // at every call (~1 % of the CPU under 300 watch events a second).
        var unchanged = false
        let old = state.withLock { s -> Object? in
            let old = s.items.upsert(object)
            unchanged = old.map(object.sameContent) ?? false
            index?.update(old: old, new: object, changed: !unchanged)
            if let rv = object.cacheResourceVersion { s.resourceVersion = rv }
            return old
        }
        if !unchanged { onChange(.upserted(object, previous: old)) }
    }

    /// A deleted entry (as the server last saw it).
    public func remove(_ object: Object) {
        let removed = state.withLock { s -> Object? in
            if let rv = object.cacheResourceVersion { s.resourceVersion = rv }
            let removed = s.items.remove(sameKeyAs: object)
            if let removed { index?.update(old: removed, new: nil, changed: true) }
            return removed
        }
        onChange(.deleted(removed ?? object))
    }

    /// Progress without a change.
    public func advance(to resourceVersion: String) {
        state.withLock { $0.resourceVersion = resourceVersion }
    }

    /// Applies one watch event, each object first made into an entry by `transform`; bookmarks
    /// and errors only move (or not) the resourceVersion.
    public func apply<Wire: KubeObject>(_ event: WatchEvent<Wire>, transform: (Wire) -> Object) {
        switch event {
        case .added(let object), .modified(let object): upsert(transform(object))
        case .deleted(let object): remove(transform(object))
        case .bookmark(let rv, _): advance(to: rv)
        case .error: break
        }
    }
}

extension ObjectStore where Object: KubeObject {
    /// Applies one watch event of the stored kind.
    public func apply(_ event: WatchEvent<Object>) {
        apply(event) { $0 }
    }
}
