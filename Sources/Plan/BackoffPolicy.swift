/// How long a workload whose write was refused or failed waits before it is tried again
/// (seconds). One policy for every write: rollout patches, evictions, state patches, recreations.
public struct BackoffPolicy: Hashable, Sendable {
    /// The first wait after a failure that may pass (429, 5xx, a lost connection); doubled per failure.
    public var initial: Int64
    /// The longest such wait; also the wait after an answer retrying will not change (400, 403,
    /// 404 on the owner, 422). At 10 min a workload always refused costs 6 requests an hour.
    public var maximum: Int64
    /// After an eviction sequence gave up (`--evict-timeout`): a quarter of the time left before
    /// the deadline, within these bounds — so it is tried again, more often as the deadline nears.
    public var giveUpMinimum: Int64
    public var giveUpMaximum: Int64
    /// Up to this fraction is added to every wait, so workloads refused together do not retry in step.
    public var jitter: Double

    public init(initial: Int64 = 5, maximum: Int64 = 600, giveUpMinimum: Int64 = 600, giveUpMaximum: Int64 = 6 * 3600, jitter: Double = 0.2) {
        self.initial = max(1, initial)
        self.maximum = max(self.initial, maximum)
        self.giveUpMinimum = max(1, giveUpMinimum)
        self.giveUpMaximum = max(self.giveUpMinimum, giveUpMaximum)
        self.jitter = min(max(0, jitter), 1)
    }
}
