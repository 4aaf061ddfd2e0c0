import KubeModel

/// Event writes that failed for a reason worth another try (429, 5xx, no HTTP answer), waiting
/// for their next attempt. Bounded: when full, the oldest entry is dropped and counted — like
/// client-go's broadcaster, Events are best effort, but a short API server outage no longer
/// loses them. Pure: the caller passes the time and does the I/O.
struct EventRetryQueue: Sendable {
    /// The state an Event should reach on the server, and how far the retries have got.
    struct Entry: Sendable {
        var event: WardenEvent
        var name: String
        var count: Int
        var firstTimestamp: Timestamp
        var lastTimestamp: Timestamp
        /// Failed attempts so far (the first write included).
        var attempts: Int
        var dueAt: ContinuousClock.Instant
    }

    struct Policy: Sendable {
        var capacity: Int
        /// Attempts in all, the first write included (client-go: 12).
        var maxAttempts: Int
        var initialDelay: Duration
        var maxDelay: Duration
    }

    let policy: Policy
    /// Waiting for their next attempt.
    private(set) var entries: [Entry] = []
    /// Names of the Events being written by the drainer right now.
    private(set) var inFlight: Set<String> = []
    /// Entries given up: dropped when the queue was full, or out of attempts.
    private(set) var dropped = 0

    init(policy: Policy) {
        self.policy = Policy(
            capacity: max(1, policy.capacity), maxAttempts: max(1, policy.maxAttempts),
            initialDelay: max(.zero, policy.initialDelay), maxDelay: max(policy.initialDelay, policy.maxDelay))
    }

    /// Waiting or being written.
    var count: Int { entries.count + inFlight.count }
    var isEmpty: Bool { entries.isEmpty }
    var nextDue: ContinuousClock.Instant? { entries.filter { !inFlight.contains($0.name) }.map(\.dueAt).min() }

    /// A write of this Event is waiting or under way: a newer state of it must go through the
    /// queue too, so that writes of one Event never overtake each other.
    func isPending(_ name: String) -> Bool { inFlight.contains(name) || entries.contains { $0.name == name } }

    /// The wait before attempt `failedAttempts + 1`: doubling from the initial delay, capped, and
    /// never shorter than what the server asked for (`Retry-After`, also capped).
    func delay(afterFailedAttempts failedAttempts: Int, retryAfterSeconds: Int?) -> Duration {
        var delay = policy.initialDelay
        for _ in 1..<max(1, failedAttempts) where delay < policy.maxDelay { delay *= 2 }
        if let retryAfterSeconds { delay = max(delay, .seconds(retryAfterSeconds)) }
        return min(delay, policy.maxDelay)
    }

    /// Schedules `entry` after a failed attempt (ending that attempt). Returns what was given up
    /// to make room, or `entry` itself when it has no attempts left. An entry for an Event
    /// already waiting (same name) is merged into it.
    mutating func schedule(_ entry: Entry, retryAfterSeconds: Int?, now: ContinuousClock.Instant) -> Entry? {
        inFlight.remove(entry.name)
        if merge(entry) { return nil }
        guard entry.attempts < policy.maxAttempts else {
            dropped += 1
            return entry
        }
        var scheduled = entry
        scheduled.dueAt = now + delay(afterFailedAttempts: entry.attempts, retryAfterSeconds: retryAfterSeconds)
        return append(scheduled)
    }

    /// A newer state of an Event whose write is pending: merged into the waiting entry, or
    /// queued to follow the write under way. Returns what was given up to make room.
    mutating func follow(_ entry: Entry, now: ContinuousClock.Instant) -> Entry? {
        if merge(entry) { return nil }
        var queued = entry
        queued.attempts = 0
        queued.dueAt = now
        return append(queued)
    }

    /// Removes and returns the entry due first, if one is due at `now`; it is then in flight
    /// until `finish` or `schedule`.
    mutating func takeDue(now: ContinuousClock.Instant) -> Entry? {
        let due = entries.indices.filter { entries[$0].dueAt <= now && !inFlight.contains(entries[$0].name) }
        guard let index = due.min(by: { entries[$0].dueAt < entries[$1].dueAt }) else { return nil }
        let entry = entries.remove(at: index)
        inFlight.insert(entry.name)
        return entry
    }

    /// The attempt under way for `name` succeeded.
    mutating func finish(_ name: String) {
        inFlight.remove(name)
    }

    /// The newest count and last timestamp win; the waiting entry keeps its schedule.
    private mutating func merge(_ entry: Entry) -> Bool {
        guard let index = entries.firstIndex(where: { $0.name == entry.name }) else { return false }
        entries[index].count = max(entries[index].count, entry.count)
        entries[index].lastTimestamp = max(entries[index].lastTimestamp, entry.lastTimestamp)
        entries[index].firstTimestamp = min(entries[index].firstTimestamp, entry.firstTimestamp)
        entries[index].attempts = max(entries[index].attempts, entry.attempts)
        entries[index].event = entry.event
        return true
    }

    private mutating func append(_ entry: Entry) -> Entry? {
        var givenUp: Entry?
        if entries.count >= policy.capacity {
            givenUp = entries.removeFirst()
            dropped += 1
        }
        entries.append(entry)
        return givenUp
    }
}
