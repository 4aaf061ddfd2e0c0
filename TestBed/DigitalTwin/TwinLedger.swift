import Plan

/// What the twin measures while it runs: incidents, restarts, breaches, forecasts.
struct TwinLedger {
    static let year: Int64 = 365 * 86_400

    /// Seconds an old client held an expired token, by workload.
    var expiryIncidents: [Int: Int64] = [:]
    /// Old clients holding a token from before the key rotation after it, by workload (seconds).
    var rotationOutage: [Int: Int64] = [:]
    var rotationAt: Int64?
    /// When the first plan after the rotation expected the last invalidated workload restarted
    /// (Int64.max: some never).
    var rotationForecastEnd: Int64?
    /// The cluster-wide limit the operator raised it to after the rotation.
    var rotationLimit: Int?
    /// Old clients in bare pods (report only) that held an expired token.
    var unprotectedIncidents: Set<Int> = []
    var windowBreaches = 0
    var clusterLimitBreaches = 0
    var namespaceLimitBreaches = 0
    var pdbBreaches = 0
    var breachExamples: [String] = []
    /// First pass that predicted a miss, by workload and deadline.
    var predicted: [MissKey: Int64] = [:]
    /// Workloads a pass saw with their deadline passed (the estimate's expiry), by deadline.
    var misses: Set<MissKey> = []
    var passes = 0
    /// Plans that reused the last plan's forecast, and all plans that asked (`ForecastMemo`).
    var forecastsReused = (reused: 0, plans: 0)
    var earlyStarts = 0
    var longestEarlyLead: Int64 = 0
    /// Each restart reported as timed out (workload@start), once.
    var rolloutTimeouts: Set<String> = []
    var evictionsRefused = 0
    /// What the controller had learned of its restarts' durations when the run ended.
    var durationsAtEnd = RestartDurations()

    struct MissKey: Hashable {
        var workload: Int
        var deadline: Int64
    }

    /// A pod ended (replaced) at `end`, or the run ended with it running.
    mutating func podEnded(_ pod: TwinWorkload.Pod, of w: TwinWorkload, at end: Int64, lifetime: Int64) {
        guard w.oldClient, w.kind.protectable else {
            if w.oldClient, end > pod.tokenIssued + lifetime { unprotectedIncidents.insert(w.index) }
            return
        }
        let expires = pod.tokenIssued + lifetime
        if end > expires { expiryIncidents[w.index, default: 0] += end - expires }
        if let rotation = rotationAt, pod.tokenIssued < rotation, end > rotation {
            rotationOutage[w.index] = max(rotationOutage[w.index] ?? 0, end - rotation)
        }
    }

    mutating func breach(_ text: String, _ counter: WritableKeyPath<TwinLedger, Int>) {
        self[keyPath: counter] += 1
        if breachExamples.count < 5 { breachExamples.append(text) }
    }

    /// The fewest restarts that keep a workload's tokens valid: each made at the last moment,
    /// counting only the replacements of every pod (redeploys, the upgrade) and the key rotation.
    static func minimumRestarts(firstStart: Int64, renewals: [Int64], rotation: Int64?, end: Int64, lifetime: Int64) -> Int {
        var events = renewals.map { ($0, false) }
        if let rotation { events.append((rotation, true)) }
        events.sort { $0.0 < $1.0 }
        var oldest = firstStart - TwinPopulation.refreshLag
        var needed = 0
        for (time, isRotation) in events {
            while oldest + lifetime <= time {
                needed += 1
                oldest += lifetime
            }
            if isRotation {
                needed += 1  // every pod must be replaced after the rotation
                oldest = time
            } else {
                oldest = time - TwinPopulation.refreshLag
            }
        }
        while oldest + lifetime <= end {
            needed += 1
            oldest += lifetime
        }
        return needed
    }
}
