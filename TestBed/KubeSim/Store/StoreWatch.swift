import Foundation

/// A cursor over the store's change history: `next` returns the events after the last one seen,
/// waiting for new ones. Used by HTTP watches (one per connection thread) and in-process
/// subscribers. Cheap: it holds only a resourceVersion; events are shared with the history.
public final class StoreWatch: @unchecked Sendable {
    public enum Next: Sendable {
        case events([WatchEvent])
        /// Nothing happened before the deadline.
        case timedOut
        /// The events after the cursor were compacted away (410); start over with a new list.
        case expired(StatusError)
        /// The watch was cancelled, interrupted (fault injection) or the store closed.
        case closed
    }

    private let store: ResourceStore
    private let typeKeys: Set<String>
    private let namespace: String?
    private let epoch: Int
    private let survivesInterruptions: Bool
    // Guarded by store.condition.
    private var cursor: Int64
    private var cancelled = false

    init(store: ResourceStore, types: [ResourceType], namespace: String?, from version: Int64, epoch: Int,
         survivesInterruptions: Bool = false) {
        self.survivesInterruptions = survivesInterruptions
        self.store = store
        self.typeKeys = Set(types.map(\.storageKey))
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.cursor = version
        self.epoch = epoch
    }

    /// The resourceVersion of the last event consumed (or the start version).
    public var resourceVersion: Int64 {
        store.condition.lock()
        defer { store.condition.unlock() }
        return cursor
    }

    /// The next batch of matching events (at most `limit`), waiting up to `timeout` seconds.
    public func next(timeout: TimeInterval, limit: Int = 1_000) -> Next {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        store.condition.lock()
        defer { store.condition.unlock() }
        while true {
            if cancelled || store.closed || (store.watchEpoch != epoch && !survivesInterruptions) { return .closed }
            guard let batch = store.history.events(after: cursor, limit: limit) else {
                let status = StatusError.tooOldResourceVersion(requested: cursor, oldest: store.history.floor)
                return .expired(status)
            }
            if let last = batch.last {
                cursor = last.resourceVersion
                let matching = batch.filter(matches)
                if !matching.isEmpty { return .events(matching) }
                continue
            }
            if Date() >= deadline { return .timedOut }
            _ = store.condition.wait(until: deadline)  // false on timeout; the loop re-checks the deadline
        }
    }

    /// Ends the watch; a thread blocked in `next` returns `.closed`.
    public func cancel() {
        store.condition.lock()
        cancelled = true
        store.condition.broadcast()
        store.condition.unlock()
    }

    /// Skips to the newest resourceVersion (after an expiry).
    func restartAtNewest() {
        store.condition.lock()
        cursor = store.history.newest
        store.condition.unlock()
    }

    private func matches(_ event: WatchEvent) -> Bool {
        if !typeKeys.isEmpty && !typeKeys.contains(event.type.storageKey) { return false }
        if let namespace, event.object.namespace != namespace { return false }
        return true
    }
}

/// An in-process subscription: a thread that delivers batches of events to a handler.
public final class StoreSubscription: Sendable {
    public enum Delivery: Sendable {
        case events([WatchEvent])
        /// Events were lost (history compacted past this subscriber): re-read the state you need
        /// with `ResourceStore.objects`; delivery continues from the current resourceVersion.
        case resync
    }

    private let watch: StoreWatch

    init(watch: StoreWatch) {
        self.watch = watch
    }

    public func cancel() {
        watch.cancel()
    }
}

extension ResourceStore {
    /// A watch from a resourceVersion (nil: from now). 410 Expired when older than the history.
    public func watch(_ types: [ResourceType], namespace: String? = nil, from version: Int64? = nil) throws(StatusError) -> StoreWatch {
        condition.lock()
        defer { condition.unlock() }
        let start = version ?? history.newest
        if start < history.floor {
            throw StatusError.tooOldResourceVersion(requested: start, oldest: history.floor)
        }
        return StoreWatch(store: self, types: types, namespace: namespace, from: start, epoch: watchEpoch)
    }

    /// Atomically: the current objects of a type and a watch starting right after them
    /// (sendInitialEvents, informers in process).
    public func listAndWatch(_ type: ResourceType, namespace: String? = nil) -> (objects: [StoredObject], resourceVersion: Int64, watch: StoreWatch) {
        condition.lock()
        defer { condition.unlock() }
        let table = tables[type.storageKey] ?? ResourceTable()
        let objects = Array(table.objects[table.range(namespace: type.namespaced ? namespace ?? "" : "")])
        let watch = StoreWatch(store: self, types: [type], namespace: namespace, from: history.newest, epoch: watchEpoch)
        return (objects, history.newest, watch)
    }

    /// Calls `handler` on a background thread with every change to `types` (empty: all types)
    /// after `version` (nil: from now), in order, until cancelled. The handler may use the store.
    /// Survives `interruptWatches()` (fault injection is for network clients only).
    public func subscribe(
        _ types: [ResourceType], from version: Int64? = nil, name: String = "subscriber",
        handler: @escaping @Sendable (StoreSubscription.Delivery) -> Void
    ) -> StoreSubscription {
        let start: Int64
        condition.lock()
        start = max(version ?? history.newest, history.floor)
        let epoch = watchEpoch
        condition.unlock()
        let control = StoreWatch(store: self, types: types, namespace: nil, from: start, epoch: epoch,
                                 survivesInterruptions: true)
        let subscription = StoreSubscription(watch: control)
        let thread = Thread {
            while true {
                switch control.next(timeout: 3600) {
                case .events(let events): handler(.events(events))
                case .timedOut: continue
                case .expired:
                    control.restartAtNewest()
                    handler(.resync)
                case .closed: return
                }
            }
        }
        thread.name = "kube-sim-\(name)"
        thread.start()
        return subscription
    }

    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }
}
