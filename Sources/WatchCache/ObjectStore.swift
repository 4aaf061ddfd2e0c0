import APIClient
import KubeModel
import Synchronization

/// The watch cache for one resource: objects by `namespace/name`, the resourceVersion they reflect,
/// and whether the first full list has arrived. A relist replaces everything in one step, so a
/// reader never sees a half-old, half-new cache; the changes it implies are reported like events.
public final class ObjectStore<Object: KubeObject>: Sendable {
    private struct State {
        var items: [String: Object] = [:]
        var resourceVersion = ""
        var synced = false
    }

    private let state = Mutex(State())
    private let onChange: @Sendable (StoreChange<Object>) -> Void

    public init(onChange: @escaping @Sendable (StoreChange<Object>) -> Void = { _ in }) {
        self.onChange = onChange
    }

    public var hasSynced: Bool { state.withLock { $0.synced } }
    public var resourceVersion: String { state.withLock { $0.resourceVersion } }
    public var count: Int { state.withLock { $0.items.count } }

    public func get(_ key: String) -> Object? { state.withLock { $0.items[key] } }

    public func get(namespace: String?, name: String) -> Object? {
        get(namespace.map { $0.isEmpty ? name : "\($0)/\(name)" } ?? name)
    }

    /// A consistent copy of every cached object.
    public func list() -> [Object] { state.withLock { Array($0.items.values) } }

    /// Swaps in a full list atomically; reports additions, changes and disappearances.
    /// `partition` limits the swap to the objects one reflector owns (one namespace of several
    /// watched into the same store); nil means the list is the whole store.
    public func replace(_ objects: [Object], resourceVersion: String, partition: (@Sendable (Object) -> Bool)? = nil) {
        var fresh: [String: Object] = [:]
        fresh.reserveCapacity(objects.count)
        for object in objects { fresh[object.key] = object }
        let old = state.withLock { s -> [String: Object] in
            var old = s.items
            if let partition {
                old = old.filter { partition($0.value) }
                for key in old.keys { s.items.removeValue(forKey: key) }
                s.items.merge(fresh) { _, new in new }
            } else {
                s.items = fresh
            }
            s.resourceVersion = resourceVersion
            s.synced = true
            return old
        }
        for (key, object) in old where fresh[key] == nil { onChange(.deleted(object)) }
        for (key, object) in fresh where old[key]?.metadata.resourceVersion != object.metadata.resourceVersion {
            onChange(.upserted(object))
        }
    }

    /// Applies one watch event; bookmarks and errors only move (or not) the resourceVersion.
    public func apply(_ event: WatchEvent<Object>) {
        switch event {
        case .added(let object), .modified(let object):
            state.withLock {
                $0.items[object.key] = object
                if let rv = object.metadata.resourceVersion { $0.resourceVersion = rv }
            }
            onChange(.upserted(object))
        case .deleted(let object):
            let removed = state.withLock { s -> Object? in
                if let rv = object.metadata.resourceVersion { s.resourceVersion = rv }
                return s.items.removeValue(forKey: object.key)
            }
            onChange(.deleted(removed ?? object))
        case .bookmark(let rv, _):
            state.withLock { $0.resourceVersion = rv }
        case .error:
            break
        }
    }
}
