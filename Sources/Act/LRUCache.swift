/// A small least-recently-used map. Bounded so a long-running controller's Event caches never
/// grow with the number of objects it has ever seen (client-go bounds its caches at 4096).
struct LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var used: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The value, marking it recently used.
    mutating func get(_ key: Key) -> Value? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.used = clock
        entries[key] = entry
        return entry.value
    }

    /// Inserts or replaces; evicts the least recently used entry when full.
    mutating func set(_ key: Key, _ value: Value) {
        clock += 1
        if entries[key] == nil, entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            // A linear scan, only when full: cheap at this size and rate (Events are rare).
            entries[oldest] = nil
        }
        entries[key] = Entry(value: value, used: clock)
    }

    mutating func remove(_ key: Key) {
        entries[key] = nil
    }
}
