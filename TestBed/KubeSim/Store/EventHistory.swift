/// The bounded, cluster-wide change history. Every write bumps the resourceVersion by exactly one
/// and appends exactly one event, so the event for resourceVersion R sits at R - firstVersion.
struct EventHistory {
    private var events: [WatchEvent?]
    private var head = 0
    private(set) var count = 0
    /// Versions <= floor are no longer answerable: a watch from them gets 410 Expired.
    private(set) var floor: Int64
    let capacity: Int

    init(capacity: Int, floor: Int64) {
        self.capacity = max(1, capacity)
        self.events = Array(repeating: nil, count: max(1, capacity))
        self.floor = floor
    }

    /// The resourceVersion of the newest event (or the floor when empty).
    var newest: Int64 { floor + Int64(count) }

    mutating func append(_ event: WatchEvent) {
        precondition(event.resourceVersion == newest + 1, "history must be contiguous")
        if count == capacity {
            events[head] = nil
            head = (head + 1) % capacity
            count -= 1
            floor += 1
        }
        events[(head + count) % capacity] = event
        count += 1
    }

    /// Events with a resourceVersion greater than `version`, at most `limit`. nil when `version`
    /// is below the floor (the events in between are gone).
    func events(after version: Int64, limit: Int) -> [WatchEvent]? {
        guard version >= floor else { return nil }
        let start = Int(version - floor)
        guard start < count else { return [] }
        let end = min(count, start + limit)
        var result: [WatchEvent] = []
        result.reserveCapacity(end - start)
        for offset in start..<end {
            if let event = events[(head + offset) % capacity] { result.append(event) }
        }
        return result
    }

    /// Forgets everything up to `version` (compaction); the floor never moves back.
    mutating func compact(through version: Int64) {
        while count > 0 && floor < version {
            events[head] = nil
            head = (head + 1) % capacity
            count -= 1
            floor += 1
        }
        if count == 0 && floor < version { floor = version }
    }
}
