import Assess
import KubeModel
import Synchronization

/// What the watch caches changed since the last pass, collected as their writers apply events
/// and drained by the pass that re-assesses them (`IncrementalAssessor`). Also when each change
/// arrived, so the pass can tell how long an event waited for its decision.
public final class ClusterChangeLog: Sendable {
    private struct State {
        /// The first pass assesses everything.
        var changes = ClusterChanges(everything: true)
        var arrivals: [ContinuousClock.Instant] = []
    }

    /// Arrival instants kept between two passes; more are not timed (the pass is late anyway).
    static let maximumArrivals = 10_000

    private let state = Mutex(State())

    public init() {}

    public func podGroupChanged(_ group: PodGroupKey) {
        record { $0.podGroups.insert(group) }
    }

    public func objectChanged(_ key: CachedObjectKey, _ change: ObjectChange = .relinked) {
        record { $0.record(key, change) }
    }

    public func namespaceChanged(_ name: String) {
        record { $0.namespaces.insert(name) }
    }

    /// Everything is assessed again at the next pass.
    public func everythingChanged() {
        record { $0.everything = true }
    }

    private func record(_ change: (inout ClusterChanges) -> Void) {
        let now = ContinuousClock.now
        state.withLock { s in
            change(&s.changes)
            if s.arrivals.count < Self.maximumArrivals { s.arrivals.append(now) }
        }
    }

    /// The changes since the last call, and when each arrived; the log starts empty again.
    public func drain() -> (changes: ClusterChanges, arrivals: [ContinuousClock.Instant]) {
        state.withLock { s in
            defer { s = State(changes: ClusterChanges(), arrivals: []) }
            return (s.changes, s.arrivals)
        }
    }
}
