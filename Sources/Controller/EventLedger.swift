import Synchronization

/// Remembers which conditions have already been announced, so a level-based reconcile that sees
/// the same at-risk workload every minute emits its Event once per condition, not once per pass.
/// Keys include the deadline (or value) they are about: a new deadline is a new condition.
/// Bounded: the oldest keys are forgotten first (forgetting only means one repeated Event).
public final class EventLedger: Sendable {
    private struct State {
        var keys: Set<String> = []
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// True the first time `key` is seen (the caller should announce), false afterwards.
    public func firstTime(_ key: String) -> Bool {
        state.withLock { s in
            guard s.keys.insert(key).inserted else { return false }
            s.order.append(key)
            if s.order.count > capacity {
                let drop = s.order.count - capacity
                for old in s.order.prefix(drop) { s.keys.remove(old) }
                s.order.removeFirst(drop)
            }
            return true
        }
    }

    /// Whether `key` was announced (and not yet forgotten).
    public func contains(_ key: String) -> Bool {
        state.withLock { $0.keys.contains(key) }
    }

    /// Forgets `key`: it was taken but not said (the pass stopped writing), so a later pass says it.
    public func forget(_ key: String) {
        state.withLock { s in
            guard s.keys.remove(key) != nil else { return }
            s.order.removeAll { $0 == key }
        }
    }

    /// Forgets every key with this prefix (a workload that was restarted may be announced again).
    public func forget(prefix: String) {
        state.withLock { s in
            s.order.removeAll { key in
                guard key.hasPrefix(prefix) else { return false }
                s.keys.remove(key)
                return true
            }
        }
    }
}
