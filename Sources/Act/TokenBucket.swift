/// A token bucket: `burst` tokens, refilled at `ratePerSecond`. Pure; the caller passes the time.
public struct TokenBucket: Sendable {
    public let burst: Double
    public let ratePerSecond: Double
    public private(set) var tokens: Double
    private var updatedAt: Double

    public init(burst: Int, ratePerSecond: Double, now: Double) {
        self.burst = Double(burst)
        self.ratePerSecond = ratePerSecond
        self.tokens = Double(burst)
        self.updatedAt = now
    }

    /// Takes one token if there is one.
    public mutating func take(now: Double) -> Bool {
        if now > updatedAt {
            tokens = min(burst, tokens + (now - updatedAt) * ratePerSecond)
            updatedAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
