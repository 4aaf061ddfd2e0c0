import Synchronization

/// Server time minus local time (seconds), shared by a client and the gated clients made from it.
final class ServerClockOffset: Sendable {
    private let seconds = Atomic<Int64>(0)

    var value: Int64 { seconds.load(ordering: .relaxed) }

    func set(_ value: Int64) { seconds.store(value, ordering: .relaxed) }
}
