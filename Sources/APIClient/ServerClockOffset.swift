import Synchronization

/// Server time minus local time (seconds), shared by a client and the gated clients made from it.
///
/// Each response's `Date` header gives it to the second, truncated, against a local clock read
/// to the second: two clocks in step give 0 on one response and −1 on the next. An estimate that
/// followed every header would move the controller's clock back and forth by a second (and a
/// clock that goes back makes the next pass assess every workload again), so a new reading
/// replaces the estimate only when it differs by more than that resolution.
final class ServerClockOffset: Sendable {
    /// Readings this close to the estimate are the headers' resolution, not a change.
    static let resolution: Int64 = 1
    private let estimate = Mutex<Int64?>(nil)

    var value: Int64 { estimate.withLock { $0 } ?? 0 }

    func set(_ reading: Int64) {
        estimate.withLock { estimate in
            if let current = estimate, abs(reading - current) <= Self.resolution { return }
            estimate = reading
        }
    }
}
