/// The reflector's time: how long an I/O took (the short-watch guard, the backoff's reset) and
/// the waits between them. Tests pass one that only records the waits.
public protocol ReflectorClock: Sendable {
    var now: ContinuousClock.Instant { get }
    func sleep(for duration: Duration) async throws
}

/// Real time: the monotonic `ContinuousClock`.
public struct ContinuousReflectorClock: ReflectorClock {
    public init() {}
    public var now: ContinuousClock.Instant { ContinuousClock.now }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
