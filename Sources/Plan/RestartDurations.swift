import Assess

/// How long this process's finished restarts held their slot, per strategy: the forecast's
/// duration of a restart, learned from what the controller observes instead of assumed.
///
/// With one or two slots, restarts run one after another, so the time a herd needs is the sum of
/// their durations: the estimate is the mean of the recent samples (a rollout stuck for hours
/// counts with all of it, since it holds its slot that long), not a percentile that would leave
/// the stuck ones out. An eviction sequence is sampled per pod it replaced and forecast as that
/// times the workload's pods. Until samples exist the configured value
/// (`PlannerConfig.typicalRolloutDuration`) is the prior; it weighs as `priorWeight` samples, so
/// a few early observations move the estimate only part of the way.
public struct RestartDurations: Hashable, Sendable {
    /// Samples kept per strategy (the most recent; older ones are dropped).
    public static let capacity = 256
    /// How many samples the configured value counts as.
    public static let priorWeight: Int64 = 8

    /// The most recent samples of one strategy (seconds), oldest overwritten first.
    public struct Samples: Hashable, Sendable {
        public private(set) var values: [Int64] = []
        private var next = 0
        private(set) var sum: Int64 = 0

        public init() {}

        mutating func add(_ seconds: Int64) {
            let value = max(1, seconds)
            if values.count < RestartDurations.capacity {
                values.append(value)
            } else {
                sum -= values[next]
                values[next] = value
                next = (next + 1) % RestartDurations.capacity
            }
            sum += value
        }

        /// The samples' mean times `scale`, shrunk toward `prior` by `priorWeight` samples' worth.
        func estimate(prior: Int64, scale: Int64 = 1) -> Int64 {
            let weight = RestartDurations.priorWeight
            return max(1, (prior * weight + sum * scale) / (weight + Int64(values.count)))
        }
    }

    public private(set) var rollout = Samples()
    public private(set) var evictionPerPod = Samples()

    public init() {}

    /// A rollout from its patch until the workload's status showed it complete.
    public mutating func recordRollout(seconds: Int64) { rollout.add(seconds) }

    /// An eviction sequence from its first eviction until its last replacement was Ready.
    public mutating func recordEviction(seconds: Int64, pods: Int) {
        evictionPerPod.add(seconds / Int64(max(1, pods)))
    }

    /// How many finished restarts the estimates rest on.
    public var samples: Int { rollout.values.count + evictionPerPod.values.count }

    /// The forecast's duration of one rollout.
    public func rolloutEstimate(prior: Int64) -> Int64 { rollout.estimate(prior: prior) }

    /// The forecast's duration of an eviction sequence over `pods` pods. The prior is the whole
    /// sequence's (the configured value does not know about pods).
    public func evictionEstimate(pods: Int, prior: Int64) -> Int64 {
        evictionPerPod.estimate(prior: prior, scale: Int64(max(1, pods)))
    }

    /// How long restarting `workload` is expected to hold its slot.
    public func expected(_ workload: WorkloadAssessment, prior: Int64) -> Int64 {
        switch workload.strategy {
        case .evict, .recreate:
            return evictionEstimate(pods: workload.podsInScopeCount, prior: prior)
        case .rollout, .warnOnly:
            return rolloutEstimate(prior: prior)
        }
    }
}
