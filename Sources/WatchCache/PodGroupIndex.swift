import KubeModel
import Synchronization

/// Cached pods by `PodGroupKey`, kept by the pod store on every event, so that a pass reads the
/// pods of the groups that changed without regrouping the whole cache. Each change names the
/// groups it touched (both, when a pod moved from one owner to another) to `changed`.
public final class PodGroupIndex: StoreIndex, Sendable {
    private struct Groups {
        var pods: [PodGroupKey: [PodRecord]] = [:]
        /// The groups of each namespace: a namespace's pods without a walk over every cached pod.
        var byNamespace: [String: Set<PodGroupKey>] = [:]

        mutating func remove(_ pod: PodRecord, from key: PodGroupKey) {
            pods[key]?.removeAll { $0.hasSameCacheKey(as: pod) }  // in place: groups are small
            guard pods[key]?.isEmpty == true else { return }
            pods[key] = nil
            byNamespace[pod.namespace]?.remove(key)
            if byNamespace[pod.namespace]?.isEmpty == true { byNamespace[pod.namespace] = nil }
        }

        mutating func add(_ pod: PodRecord, to key: PodGroupKey) {
            if pods[key] == nil { byNamespace[pod.namespace, default: []].insert(key) }
            pods[key, default: []].append(pod)
        }
    }

    private let groups = Mutex(Groups())
    private let changed: @Sendable (PodGroupKey) -> Void

    /// - Parameter changed: told every group a write touched; called under the store's lock, so
    ///   it must not call back into the store.
    public init(changed: @escaping @Sendable (PodGroupKey) -> Void = { _ in }) {
        self.changed = changed
    }

    public func update(old: PodRecord?, new: PodRecord?, changed contentChanged: Bool) {
        let oldKey = old?.groupKey, newKey = new?.groupKey
        groups.withLock { groups in
            if let old, let oldKey { groups.remove(old, from: oldKey) }
            if let new, let newKey { groups.add(new, to: newKey) }
        }
        // A new version that changes nothing the assessment reads changes no group.
        guard contentChanged else { return }
        if let oldKey { changed(oldKey) }
        if let newKey, newKey != oldKey { changed(newKey) }
    }

    /// The cached pods of one group (empty when it has none).
    public func pods(in group: PodGroupKey) -> [PodRecord] {
        groups.withLock { $0.pods[group] ?? [] }
    }

    /// The cached pods of one namespace.
    public func pods(inNamespace namespace: String) -> [PodRecord] {
        groups.withLock { groups in (groups.byNamespace[namespace] ?? []).flatMap { groups.pods[$0] ?? [] } }
    }

    /// Every group with at least one cached pod.
    public var keys: [PodGroupKey] { groups.withLock { Array($0.pods.keys) } }

    public var count: Int { groups.withLock { $0.pods.count } }
}
