import Foundation
import Logging

/// The simulated cluster's state: every object as serialized JSON, one cluster-wide
/// resourceVersion, a bounded change history for watches, and admission hooks.
///
/// Thread-safe. Reads and writes are short critical sections under one lock; watchers wait on
/// the same lock's condition. Hooks and `modify` bodies run outside the lock and may use the store.
public final class ResourceStore: @unchecked Sendable {
    /// What a hook sees: the operation, the object about to be written (mutable), the old object.
    public enum Operation: String, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
    }

    /// Admission: may change the object or reject the write by throwing an `StatusError`.
    public typealias AdmissionHook = @Sendable (_ operation: Operation, _ object: inout JSONValue,
                                                _ old: StoredObject?) throws(StatusError) -> Void

    let condition = NSCondition()
    // Everything below is guarded by `condition`.
    var tables: [String: ResourceTable] = [:]
    var history: EventHistory
    var snapshots = SnapshotCache()
    var admissionHooks: [String: [AdmissionHook]] = [:]
    var closed = false
    var gracefulPodDeletionLocked = false
    /// Bumped by `interruptWatches()`: every watch open before ends (fault injection, restart).
    var watchEpoch = 0

    let logger: Logger
    /// The store's clock (creationTimestamp, deletionTimestamp).
    public let now: @Sendable () -> Date

    public init(historyCapacity: Int = 100_000, logger: Logger = Logger(label: "kube-sim.store"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.history = EventHistory(capacity: historyCapacity, floor: 1)
        self.logger = logger
        self.now = now
    }

    /// The newest resourceVersion (every write adds one).
    public var resourceVersion: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return history.newest
    }

    /// Versions at or below this are expired for watches and continue tokens.
    public var oldestResourceVersion: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return history.floor
    }

    public func get(_ type: ResourceType, namespace: String?, name: String) -> StoredObject? {
        let key = StoredObject.key(namespace: type.namespaced ? namespace ?? "" : "", name: name)
        condition.lock()
        defer { condition.unlock() }
        return tables[type.storageKey]?.object(forKey: key)
    }

    /// Every object of a type (optionally in one namespace), in key order: a consistent snapshot.
    public func objects(_ type: ResourceType, namespace: String? = nil) -> [StoredObject] {
        condition.lock()
        defer { condition.unlock() }
        guard let table = tables[type.storageKey] else { return [] }
        let range = table.range(namespace: type.namespaced ? namespace ?? "" : "")
        return Array(table.objects[range])
    }

    /// The number of objects of a type.
    public func count(_ type: ResourceType) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return tables[type.storageKey]?.count ?? 0
    }

    /// Registers an admission hook for a type, run on every create and update (in registration order).
    public func addAdmissionHook(for type: ResourceType, _ hook: @escaping AdmissionHook) {
        condition.lock()
        defer { condition.unlock() }
        admissionHooks[type.storageKey, default: []].append(hook)
    }

    func hooks(for type: ResourceType) -> [AdmissionHook] {
        condition.lock()
        defer { condition.unlock() }
        return admissionHooks[type.storageKey] ?? []
    }

    /// Forgets the history up to `version` (default: all of it): watches and continue tokens from
    /// older versions then get 410 Expired, like after an etcd compaction.
    public func compact(through version: Int64? = nil) {
        condition.lock()
        defer { condition.unlock() }
        history.compact(through: min(version ?? history.newest, history.newest))
        snapshots.removeOlder(than: history.floor)
        condition.broadcast()
    }

    /// Ends every open watch (their streams close); state is kept.
    public func interruptWatches() {
        condition.lock()
        defer { condition.unlock() }
        watchEpoch += 1
        condition.broadcast()
    }

    /// Ends every watch for good (server shutdown).
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}
