import Assess
import KubeModel
import Synchronization

/// The herd spreader's last result (its lead and the published forecast), kept from one plan to
/// the next. Passes come every few seconds under churn and every few minutes in a quiet cluster,
/// while a herd within max-lead keeps thousands of workloads in every forecast, and most passes
/// change nothing the forecast reads: this one is then the last one's.
///
/// Pure reuse, never an approximation. A result is reused only for the same inputs (`Key`: every
/// workload's place, start, deadline, window, namespace and duration, the running restarts, the
/// limits, the learned durations, the lead hint) and only while the clock cannot have changed
/// it: every simulation that produced it starts nothing before `startsAt`, so one run from any
/// later `now` up to that instant sees the same state there (the same pending items released, the
/// same slots free, the same windows), and no deadline falls between the two (a passed deadline
/// counts differently). A restart that may start now is keyed as "now", whatever the instant:
/// released at the first step either way. A result whose simulations left a restart that could
/// never start is not kept (a window's next opening is looked for within a year of the
/// simulated time, which a later `now` moves). Tests hold a reused plan equal to a fresh one
/// (`ForecastMemoTests`, and the twin's `TwinIncrementalPassTests`).
public final class ForecastMemo: Sendable {
    /// What the spreader reads of one workload, in the priority order it simulates them.
    struct Item: Equatable {
        var workload: WorkloadID
        /// Pending: when it may start, nil if it may now (the same for a reuse up to `startsAt`:
        /// released before anything starts either way); early: when its restart falls due.
        var start: Timestamp?
        /// Early entries only: how long before `start` it may begin.
        var maxLead: Int64?
        var deadline: Timestamp?
        var upcoming: Bool
        /// The window's text: it is parsed from that alone, and compares faster than its rules.
        var window: String?
        var duration: Int64
    }

    struct Key: Equatable {
        var config: PlannerConfig
        var durations: RestartDurations
        var active: [WorkloadID: Timestamp]
        var leadHint: Int64
        var items: [Item]
    }

    struct Result {
        var lead: Int64
        var forecast: [ForecastEntry]
    }

    private struct Entry {
        var key: Key
        var result: Result
        var computedAt: Timestamp
        /// The earliest start any of its simulations made (nil: none started anything).
        var startsAt: Timestamp?
        /// The earliest deadline after `computedAt` among its items.
        var nextDeadline: Timestamp?
    }

    private struct State {
        var entry: Entry?
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Plans whose forecast was reused, and those that simulated, since this memo was made.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The kept result when it holds for `key` at `now`.
    func result(for key: Key, now: Timestamp) -> Result? {
        state.withLock { state in
            guard let entry = state.entry, Self.holds(entry, at: now), entry.key == key else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return entry.result
        }
    }

    func keep(_ result: Result, for key: Key, computedAt now: Timestamp, startsAt: Timestamp?) {
        let nextDeadline = key.items.lazy.compactMap(\.deadline).filter { $0 > now }.min()
        state.withLock { $0.entry = Entry(key: key, result: result, computedAt: now, startsAt: startsAt, nextDeadline: nextDeadline) }
    }

    private static func holds(_ entry: Entry, at now: Timestamp) -> Bool {
        now >= entry.computedAt && entry.startsAt.map { now <= $0 } ?? true && entry.nextDeadline.map { now < $0 } ?? true
    }
}
