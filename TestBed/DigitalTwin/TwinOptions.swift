import Plan

/// Sizes, seeds and limits of one digital-twin run (`warden-twin`'s flags).
public struct TwinOptions: Sendable {
    public var seed: UInt64 = 1
    public var workloads: Int = 10_000
    public var days: Int = 730
    public var namespaces: Int = 60
    /// Herd spreading (the planner's `--spread-herds`).
    public var spreadHerds: Bool = true
    /// The controller learns its restarts' durations for the forecast (`RestartDurations`); off,
    /// the forecast keeps the configured typical duration, for comparison.
    public var learnDurations: Bool = true
    public var maxConcurrent: Int = 1
    public var maxConcurrentPerNamespace: Int = 1
    /// The controller's --restart-before, in days.
    public var restartBeforeDays: Int = 30
    /// Share of workloads whose client reads the token once (they fail when it expires).
    public var oldClientShare: Double = 0.10
    /// Pod deaths per pod and year (each replaced at once by a new pod).
    public var podDeathsPerYear: Double = 0.5
    /// Share of rollouts that hang for hours (stuck) before they finish.
    public var stuckShare: Double = 0.02
    /// The controller is down for two days from this day of the run.
    public var outageDay: Int = 250
    /// A planned cluster upgrade (every pod restarted within a few hours) on this day; the first
    /// one, which started every pod that has not been redeployed since, was `herdAgeDays` before the run.
    public var upgradeDay: Int = 300
    public var herdAgeDays: Int = 200
    /// After the key rotation the operator raises the limits until every invalidated workload is
    /// restarted, as docs/key-rotation.md says: from 10 / 2, doubled (the namespace limit a fifth
    /// of the cluster's, at least 2) until the forecast drains the queue within `rotationTarget`,
    /// up to `rotationMaxConcurrentCap`.
    public var rotationMaxConcurrent: Int = 10
    public var rotationMaxConcurrentCap: Int = 80
    public var rotationTarget: Int64 = 5 * 86_400
    /// Passes are at least this far apart (virtual seconds): changes and wake-ups that come
    /// sooner are taken together, as the controller's work queue does with a burst of events.
    public var minPassInterval: Int64 = 300
    /// Re-evaluate at least this often (virtual seconds). Coarser than the controller's 60 s: the
    /// plan's own wake-ups (windows, transitions, rollouts finishing) bring every pass that matters.
    public var resyncInterval: Int64 = 6 * 3600
    /// Assess and plan the whole cluster on every pass, as the controller does, instead of only
    /// the workloads the planner could act on (`TwinAssessments`): the same result, far slower.
    public var wholeClusterPasses = false
    /// Plans reuse the last plan's forecast while it holds (`ForecastMemo`, as the controller
    /// does); off, every plan simulates it again: the same result, slower.
    public var forecastMemo = true
    /// An eviction sequence gives up when nothing moved for this long (`--evict-timeout`).
    public var evictTimeout: Int64 = 600

    public init() {}

    /// `rotationLimit`: the operator's raised cluster-wide limit after the key rotation, if in force.
    func plannerConfig(rotationLimit: Int? = nil) -> PlannerConfig {
        PlannerConfig(maxConcurrent: rotationLimit ?? maxConcurrent,
                      maxConcurrentPerNamespace: rotationLimit.map { max(2, $0 / 5) } ?? maxConcurrentPerNamespace,
                      resyncInterval: resyncInterval, spreadHerds: spreadHerds)
    }

    /// The limits the operator tries after the key rotation, in order.
    var rotationLimitSteps: [Int] {
        Array(sequence(first: rotationMaxConcurrent) { $0 * 2 }.prefix { $0 <= max(rotationMaxConcurrent, rotationMaxConcurrentCap) })
    }
}
