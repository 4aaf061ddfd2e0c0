import Assess
import KubeModel

/// What the controller remembers about writes that failed, per workload, so a refused write is
/// retried after a growing wait instead of on every pass. Pure: the clock and the jitter are
/// passed in. The leader publishes it on its Lease (`FailureRecord`), so `report` shows the
/// backoff and a new leader starts from it instead of retrying every workload at once.
public struct FailureMemory: Sendable {
    /// How a write failed, which decides the wait.
    public enum Failure: Hashable, Sendable {
        /// May pass by itself (429, 5xx, transport): growing waits, at least `retryAfter` seconds.
        case transient(retryAfter: Int?)
        /// Retrying will not change the answer (400, 403, 404 on the owner, 422): the long wait,
        /// or until the workload changes (its generation).
        case permanent
        /// An eviction sequence gave up (`--evict-timeout`): a long wait, shorter as `deadline` nears.
        case gaveUp(deadline: Timestamp?)
    }

    public struct Entry: Hashable, Sendable {
        /// Failures in a row since the last success.
        public var failures: Int
        /// Not tried again before this.
        public var until: Timestamp
        public var failure: Failure
        /// The workload's generation at the failure: a permanent failure ends when it changes.
        public var generation: Int64?
        /// The server's words (its Status) or the error, for Events, logs and the report.
        public var cause: String
        /// When this run of failures began: announcements are keyed by it (once per run).
        public var since: Timestamp
        /// The server's Status reason (`Forbidden`, `TooManyRequests`, …); nil without one.
        public var reason: String?
        /// The latest failure (the order in which the record keeps entries: newest first).
        public var lastFailedAt: Timestamp

        public init(
            failures: Int, until: Timestamp, failure: Failure, generation: Int64?, cause: String, since: Timestamp,
            reason: String? = nil, lastFailedAt: Timestamp
        ) {
            self.failures = failures
            self.until = until
            self.failure = failure
            self.generation = generation
            self.cause = cause
            self.since = since
            self.reason = reason
            self.lastFailedAt = lastFailedAt
        }
    }

    public let policy: BackoffPolicy
    public private(set) var entries: [WorkloadID: Entry] = [:]

    public init(policy: BackoffPolicy = BackoffPolicy()) { self.policy = policy }

    /// Records a failure at `now`; `jitter` in 0..<1 spreads the wait. Returns the new entry.
    @discardableResult
    public mutating func recordFailure(
        _ id: WorkloadID, _ failure: Failure, cause: String, reason: String? = nil, generation: Int64?, now: Timestamp, jitter: Double
    ) -> Entry {
        let previous = entries[id]
        let failures = (previous?.failures ?? 0) + 1
        let base: Int64
        switch failure {
        case .transient(let retryAfter):
            let doublings = min(failures - 1, 30)
            let grown = policy.initial.multipliedReportingOverflow(by: Int64(1) << doublings)
            base = max(grown.overflow ? policy.maximum : min(grown.partialValue, policy.maximum), Int64(max(0, retryAfter ?? 0)))
        case .permanent:
            base = policy.maximum
        case .gaveUp(let deadline):
            let left = deadline.map { $0 - now } ?? 0
            base = min(max(left / 4, policy.giveUpMinimum), policy.giveUpMaximum)
        }
        let spread = Int64((Double(base) * policy.jitter * min(max(jitter, 0), 0.999)).rounded(.down))
        let entry = Entry(failures: failures, until: now + base + spread, failure: failure, generation: generation, cause: cause,
                          since: previous?.since ?? now, reason: reason, lastFailedAt: now)
        entries[id] = entry
        return entry
    }

    /// A write for `id` succeeded: its failures are forgotten.
    public mutating func recordSuccess(_ id: WorkloadID) {
        entries[id] = nil
    }

    /// Until when `id` must not be tried (nil: it may be now). A permanent failure ends early
    /// when the workload's generation is no longer the one that was refused.
    public func blockedUntil(_ id: WorkloadID, now: Timestamp, generation: Int64?) -> Timestamp? {
        guard let entry = entries[id], entry.until > now else { return nil }
        if entry.failure == .permanent, let generation, let refused = entry.generation, generation != refused { return nil }
        return entry.until
    }

    /// Every workload that must not be tried at `now`, with its `until` (the planner's input).
    public func blocked(now: Timestamp, generations: [WorkloadID: Int64] = [:]) -> [WorkloadID: Timestamp] {
        blocked(now: now) { generations[$0] }
    }

    /// The same, asking for the generation of the few workloads remembered only.
    public func blocked(now: Timestamp, generation: (WorkloadID) -> Int64?) -> [WorkloadID: Timestamp] {
        var result: [WorkloadID: Timestamp] = [:]
        for id in entries.keys {
            if let until = blockedUntil(id, now: now, generation: generation(id)) { result[id] = until }
        }
        return result
    }

    /// Takes over what another process remembered (a new leader, from the Lease): an entry is
    /// kept where it ends later, so neither memory's backoff is cut short.
    public mutating func seed(_ remembered: [WorkloadID: Entry]) {
        for (id, entry) in remembered where entries[id].map({ $0.until < entry.until }) ?? true {
            entries[id] = entry
        }
    }

    /// Drops entries long past (workloads deleted or healthy again) so the memory stays small.
    public mutating func forget(before instant: Timestamp) {
        entries = entries.filter { $0.value.until >= instant }
    }
}
