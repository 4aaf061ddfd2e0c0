/// Exponential backoff with jitter, reset after a healthy period (client-go's defaults:
/// 800 ms doubling to 30 s, reset after 2 minutes without trouble).
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var resetAfter: Duration
    private var current: Duration?
    private var generator: SplitMix64

    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), resetAfter: Duration = .seconds(120), seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
        self.generator = SplitMix64(seed: seed)
    }

    /// The next wait: doubled each time, capped, with up to +50 % jitter so many clients do not retry in step.
    public mutating func next() -> Duration {
        let base = current.map { min($0 * 2, maximum) } ?? initial
        current = base
        let jitter = Double(generator.next() % 1000) / 2000.0  // 0 ..< 0.5
        return base + base * jitter
    }

    public mutating func reset() { current = nil }
}

/// A small, seedable generator so backoff and watch timeouts are reproducible in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
