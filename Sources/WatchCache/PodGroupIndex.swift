import KubeModel
import Synchronization

/// Cached pods by `PodGroupKey`, kept by the pod store on every event, so that a pass reads the
/// pods of the groups that changed without regrouping the whole cache. Each change names the
/// groups it touched (both, when a pod moved from one owner to another) to `changed`.
public final class PodGroupIndex: StoreIndex, Sendable {
    private let groups = Mutex<[PodGroupKey: [PodRecord]]>([:])
    private let changed: @Sendable (PodGroupKey) -> Void

    /// - Parameter changed: told every group a write touched; called under the store's lock, so
    ///   it must not call back into the store.
    public init(changed: @escaping @Sendable (PodGroupKey) -> Void = { _ in }) {
        self.changed = changed
    }

    public func update(old: PodRecord?, new: PodRecord?) {
        let oldKey = old?.groupKey, newKey = new?.groupKey
        groups.withLock { groups in
            if let old, let oldKey {
                groups[oldKey]?.removeAll { $0.hasSameCacheKey(as: old) }  // in place: groups are small
                if groups[oldKey]?.isEmpty == true { groups[oldKey] = nil }
            }
            if let new, let newKey { groups[newKey, default: []].append(new) }
        }
        if let oldKey { changed(oldKey) }
        if let newKey, newKey != oldKey { changed(newKey) }
    }

    /// The cached pods of one group (empty when it has none).
    public func pods(in group: PodGroupKey) -> [PodRecord] {
        groups.withLock { $0[group] ?? [] }
    }

    /// Every group with at least one cached pod.
    public var keys: [PodGroupKey] { groups.withLock { Array($0.keys) } }

    public var count: Int { groups.withLock { $0.count } }
}
