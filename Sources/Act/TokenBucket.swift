/// A token bucket: `burst` tokens, refilled at `ratePerSecond`. Pure; the caller passes the time.
struct TokenBucket: Sendable {
    let burst: Double
    let ratePerSecond: Double
    private(set) var tokens: Double
    private var updatedAt: Double

    init(burst: Int, ratePerSecond: Double, now: Double) {
        self.burst = Double(burst)
        self.ratePerSecond = ratePerSecond
        self.tokens = Double(burst)
        self.updatedAt = now
    }

    /// Takes one token if there is one.
    mutating func take(now: Double) -> Bool {
        if now > updatedAt {
            tokens = min(burst, tokens + (now - updatedAt) * ratePerSecond)
            updatedAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
