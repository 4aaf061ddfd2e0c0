import Synchronization

/// At most one log line per source address per interval for rejected requests: a client that
/// keeps posting without credentials is counted every time but logged once a minute.
public final class RejectionLogLimiter: Sendable {
    public let intervalSeconds: Double
    /// Sources remembered at most; the oldest are forgotten first (a flood from many addresses
    /// cannot grow memory).
    public let capacity: Int
    private let lastLogged = Mutex<[String: Double]>([:])

    public init(intervalSeconds: Double = 60, capacity: Int = 4096) {
        self.intervalSeconds = intervalSeconds
        self.capacity = max(1, capacity)
    }

    /// True when a line for `source` may be logged at `now` (seconds); records it.
    public func shouldLog(source: String, now: Double) -> Bool {
        lastLogged.withLock { entries in
            if let last = entries[source], now - last < intervalSeconds { return false }
            if entries.count >= capacity {
                entries = entries.filter { now - $0.value < intervalSeconds }
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value < $1.value })?.key { entries[oldest] = nil }
            }
            entries[source] = now
            return true
        }
    }
}
