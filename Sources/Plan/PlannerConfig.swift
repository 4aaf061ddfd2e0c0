/// Throttling and timing of restarts (the controller's flags).
public struct PlannerConfig: Hashable, Sendable {
    /// Restarts in progress at once, cluster-wide (`--max-concurrent`).
    public var maxConcurrent: Int
    /// Restarts in progress at once per namespace (`--max-concurrent-per-namespace`).
    public var maxConcurrentPerNamespace: Int
    /// A restart still running after this long is reported and skipped (`--rollout-timeout`, seconds).
    public var rolloutTimeout: Int64
    /// No new restart of a workload this soon after its last one (`--restart-cooldown`, seconds).
    public var cooldown: Int64
    /// How long a restart usually takes: the forecast's prior until the process has observed its
    /// own restarts (`RestartDurations`), and the planner's wake-up for a running one.
    public var typicalRolloutDuration: Int64
    /// Re-evaluate at least this often (`--resync-interval`, seconds).
    public var resyncInterval: Int64
    /// The forecast also includes workloads whose restart falls due within this many seconds, so a
    /// crowd of deadlines (pods all created by one upgrade a year ago) is reported before it arrives.
    public var forecastHorizon: Int64
    /// Start a herd of deadlines early (up to each workload's max-lead) when the forecast shows
    /// the windows and limits cannot restart it in time otherwise (`--spread-herds`).
    public var spreadHerds: Bool
    /// How many times its expected duration a restart is taken to last when the spreading lead is
    /// chosen; nil: the less the process has observed, the more (`HerdSpreader.safety(samples:)`).
    /// 1 judges the lead on the expected durations alone.
    public var leadSafety: Double?

    public init(
        maxConcurrent: Int = 1, maxConcurrentPerNamespace: Int = 1, rolloutTimeout: Int64 = 900, cooldown: Int64 = 3600,
        typicalRolloutDuration: Int64 = 300, resyncInterval: Int64 = 60, forecastHorizon: Int64 = 7 * 86_400,
        spreadHerds: Bool = true, leadSafety: Double? = nil
    ) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxConcurrentPerNamespace = max(1, maxConcurrentPerNamespace)
        self.rolloutTimeout = max(1, rolloutTimeout)
        self.cooldown = max(0, cooldown)
        self.typicalRolloutDuration = max(1, typicalRolloutDuration)
        self.resyncInterval = max(1, resyncInterval)
        self.forecastHorizon = max(0, forecastHorizon)
        self.spreadHerds = spreadHerds
        self.leadSafety = leadSafety.map { max(1, $0) }
    }
}
