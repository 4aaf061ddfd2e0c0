import Assess
import KubeModel

/// Herd spreading. When the forecast shows restarts finishing too late (a crowd of deadlines:
/// every pod started by one cluster upgrade a year ago), workloads whose restart falls due within
/// their max-lead may start early, so the herd is spread over the windows that come before it.
///
/// One lead for the whole herd, in whole days, each workload's capped by its own max-lead: the
/// smallest that saves as many workloads as the largest would. A herd therefore starts as late as
/// it can and still fit, and nothing starts early when the forecast shows no problem. Finding it
/// costs a few forecasts (a binary search over days), and only when the plain forecast is late.
///
/// "Fit" is judged pessimistically: while choosing the lead, every restart is taken to last
/// `safety(samples:)` times its expected duration. A lead that only just fits leaves nothing for
/// a stuck rollout, a slower cluster or the controller being down, and once the herd has started
/// a late start can no longer be made up; and until it has observed restarts the controller's
/// durations are only the configured guess (the twin's first herd met rollouts three times as
/// long as the 300 s default). Starting a workload a few weeks early costs a fraction of one
/// restart; a workload restarted too late loses its token. The published forecast (ForecastMiss,
/// report) keeps the expected durations.
struct HerdSpreader {
    var config: PlannerConfig
    /// What this process's restarts took: the forecast's durations.
    var durations = RestartDurations()
    /// Restarts should finish at least this long before the deadline: a margin for rollouts
    /// slower than the typical one.
    static let margin: Int64 = 86_400
    /// The lead's resolution.
    static let leadStep: Int64 = 86_400

    /// How many times its expected duration a restart is taken to last when the lead is chosen:
    /// 4 on the configured guess alone, toward 1.5 as this process observes restarts (2.75 after
    /// 8, 1.8 after 64).
    static func safety(samples: Int) -> Double {
        let weight = Double(RestartDurations.priorWeight)
        return 1.5 + 2.5 * weight / (weight + Double(samples))
    }

    /// A workload whose restart is not due yet but may be started early.
    struct Early {
        var workload: WorkloadAssessment
        /// How it is restarted when it starts.
        var method: RestartMethod
        /// When its restart falls due (deadline − restart-before).
        var due: Timestamp
        /// Its place in the planner's priority order (`Planner.priorityRanks`).
        var rank: Int
    }

    struct Outcome {
        var forecast: [ForecastEntry]
        /// The lead chosen (0: nobody starts early).
        var lead: Int64
        /// Early workloads whose early start has come (indices into the `early` input).
        var startNow: [Int]
        /// Workloads the pessimistic forecast without early starts sees finishing too late: a
        /// forecast of its own, run only for the message of an early start that is made (once:
        /// the plan's forecasts are kept by lead).
        var lateWithoutLead: () -> Int
        /// The next instant an early start comes, with this lead.
        var nextEarlyStart: Timestamp?
    }

    /// `pending`: restarts that may start at `notBefore` (due now, cooldowns, …); `early`: not due
    /// yet, starting at `due` or, spread, up to their max-lead before; each with its place in the
    /// planner's priority order (`rank`). `leadHint`: the last plan's lead, where the search starts
    /// (`searchLead`). `memo`: the last plan's lead and forecast, reused when they still hold.
    func plan(now: Timestamp, active: [WorkloadID: Timestamp], pending: [(WorkloadAssessment, notBefore: Timestamp, rank: Int)],
              early: [Early], leadHint: Int64 = 0, memo: ForecastMemo? = nil) -> Outcome {
        // Both lists in one priority order (by rank: no workload compared): `source[k]` says where
        // the k-th came from.
        let ranks = pending.map { $0.rank } + early.map { $0.rank }
        let source = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        let simulator = ForecastSimulator(config: config, durations: durations)
        let workloads = source.map { $0 < pending.count ? pending[$0].0 : early[$0 - pending.count].workload }
        // Read once for the memo's key and the preparation (an eviction's reads the workload's pods).
        let expected = workloads.map { durations.expected($0, prior: config.typicalRolloutDuration) }
        let safety = config.leadSafety ?? Self.safety(samples: durations.samples)
        // Each early entry's due time and max-lead, read once for the few forecasts below.
        let earlyDue = early.map { $0.due }
        let earlyMaxLead = early.map { $0.workload.policy.maxLead }

        func startTimes(lead: Int64) -> [Timestamp] {
            source.map { k in
                guard k >= pending.count else { return pending[k].notBefore }
                let i = k - pending.count
                return max(now, earlyDue[i] - min(lead, earlyMaxLead[i]))
            }
        }
        let key = memo.map { _ in
            memoKey(now: now, source: source, workloads: workloads, expected: expected, pending: pending, early: early, active: active,
                    leadHint: leadHint)
        }
        let lead: Int64
        let forecast: [ForecastEntry]
        let lateWithoutLead: () -> Int
        if let memo, let key, let kept = memo.result(for: key, now: now) {
            lead = kept.lead
            forecast = kept.forecast
            // Asked only for the message of an early start: simulated then, as a fresh plan would.
            var counted: Int?
            lateWithoutLead = {
                if let counted { return counted }
                let count = simulator.lateCount(now: now, active: active, simulator.prepare(workloads, now: now, expected: expected),
                                                notBefore: startTimes(lead: 0), durationScale: safety, margin: Self.margin)
                counted = count
                return count
            }
        } else {
            let prepared = simulator.prepare(workloads, now: now, expected: expected)
            // No lead longer than this moves any start: each early entry starts at now or at its max-lead.
            let leadCeiling = early.indices.map { min(earlyMaxLead[$0], max(0, earlyDue[$0] - now)) }.max() ?? 0
            /// The earliest start of any simulation below: until then the clock changes none of them.
            var firstStart: Timestamp?
            /// Whether any of them left an item that could never start: then nothing is kept.
            var unstarted = false
            // How many the pessimistic forecast with `lead` sees finishing late: exact up to `limit`,
            // past it only "more" (the simulation stops there: a lead that does not fit is known at its
            // first late restart). Each effective lead is simulated once, again only to learn more.
            var made: [Int64: (count: Int, exact: Bool)] = [:]
            func late(lead: Int64, limit: Int) -> Int {
                let effective = min(lead, leadCeiling)
                if let known = made[effective], known.exact || known.count > limit { return known.count }
                let count = simulator.lateCount(now: now, active: active, prepared, notBefore: startTimes(lead: effective),
                                                durationScale: safety, margin: Self.margin, limit: limit, firstStart: &firstStart,
                                                unstarted: &unstarted)
                made[effective] = (count, count <= limit)
                return count
            }

            let maxLead = earlyMaxLead.max() ?? 0
            // Spreading off, or nothing that could start early: no pessimistic forecast is needed.
            let anyLate = config.spreadHerds && maxLead > 0 && late(lead: 0, limit: 0) > 0
            lead = anyLate ? Self.searchLead(maxLead: maxLead, hint: leadHint) { late(lead: $0, limit: $1) } : 0

            // The forecast as published: the expected durations, the chosen start times.
            forecast = simulator.run(now: now, active: active, prepared, notBefore: startTimes(lead: lead))
            prepared.windows.keep()
            if let memo, let key, !unstarted, !forecast.contains(where: { $0.earliestStart == nil }) {
                let published = forecast.lazy.compactMap(\.earliestStart).min()
                memo.keep(ForecastMemo.Result(lead: lead, forecast: forecast), for: key, computedAt: now,
                          startsAt: [firstStart, published].compactMap { $0 }.min())
            }
            lateWithoutLead = { late(lead: 0, limit: .max) }
        }
        var startNow: [Int] = []
        var nextEarlyStart: Timestamp?
        if lead > 0 {
            for i in early.indices {
                let start = earlyDue[i] - min(lead, earlyMaxLead[i])
                if start <= now {
                    startNow.append(i)
                } else if nextEarlyStart.map({ start < $0 }) ?? true {
                    nextEarlyStart = start
                }
            }
        }
        return Outcome(forecast: forecast, lead: lead, startNow: startNow, lateWithoutLead: lateWithoutLead, nextEarlyStart: nextEarlyStart)
    }

    /// Everything `plan` reads of its inputs, for `ForecastMemo`.
    private func memoKey(now: Timestamp, source: [Int], workloads: [WorkloadAssessment], expected: [Int64],
                         pending: [(WorkloadAssessment, notBefore: Timestamp, rank: Int)], early: [Early], active: [WorkloadID: Timestamp],
                         leadHint: Int64) -> ForecastMemo.Key {
        let items = source.indices.map { position in
            let k = source[position], workload = workloads[position]
            let isEarly = k >= pending.count
            return ForecastMemo.Item(
                workload: workload.id, start: isEarly ? early[k - pending.count].due : pending[k].notBefore > now ? pending[k].notBefore : nil,
                maxLead: isEarly ? workload.policy.maxLead : nil, deadline: workload.deadline, upcoming: !workload.classification.needsRestart,
                window: workload.policy.maintenanceWindow?.spec, duration: expected[position])
        }
        return ForecastMemo.Key(config: config, durations: durations, active: active, leadHint: leadHint, items: items)
    }

    /// The smallest lead, in whole days up to `maxLead`, with as few late as the widest lead; 0
    /// when even the widest saves nobody. `late(lead, limit)`: how many the forecast with `lead`
    /// sees late, exact up to `limit` and past it any larger number; some are late with no lead.
    ///
    /// Passes come minutes apart while a herd is under way, and its lead changes little between
    /// them (it shrinks as the herd is worked off): when the herd fits with the last plan's lead
    /// (`hint`), the search goes down from it in doubling steps until a lead does not fit, then
    /// halves between the two — two or three forecasts instead of eight or nine, and a lead that
    /// does not fit is known at its first late restart. A herd that not even max-lead fits (the
    /// lead is judged pessimistically, so that is common while durations are being learned) is
    /// searched the same way from a hint that does as well as the widest lead. Where lateness
    /// does not grow with the lead the answer is the full search's own; with windows it can (a
    /// lead a day longer may pack one restart into a later night), and then the two searches may
    /// settle on different leads that both fit.
    static func searchLead(maxLead: Int64, hint: Int64, late: (_ lead: Int64, _ limit: Int) -> Int) -> Int64 {
        let days = (maxLead + leadStep - 1) / leadStep
        let hintDays = min(days, (hint + leadStep - 1) / leadStep)
        // Smallest number of days that does as well as the widest lead (`target` late): between
        // `failing` (too few; 0 is, since the plain forecast is late) and `passing`.
        var failing: Int64 = 0
        var passing: Int64
        var target: Int
        /// From a lead that does as well as `target`, down in doubling steps until one does not.
        func descend() {
            var step: Int64 = 1
            while passing - step > failing {
                guard late((passing - step) * leadStep, target) <= target else {
                    failing = passing - step
                    return
                }
                passing -= step
                step *= 2
            }
        }
        let fitsAtHint = hintDays > 0 && late(min(hintDays * leadStep, maxLead), 0) == 0
        if fitsAtHint {
            // Nothing late with the hint: the widest lead can do no better.
            passing = hintDays
            target = 0
            descend()
        } else {
            let widest = late(maxLead, .max)
            // No lead saves anyone: as many late with the widest as with none.
            guard late(0, widest) > widest else { return 0 }
            passing = days
            target = widest
            if hintDays > 0 {
                if late(min(hintDays * leadStep, maxLead), widest) > widest {
                    failing = hintDays  // too few days: the answer lies above the hint
                } else {
                    // As good as the widest (a herd that even max-lead cannot fit, judged
                    // pessimistically): from the hint down, as when it fits.
                    passing = hintDays
                    descend()
                }
            }
        }
        while passing - failing > 1 {
            let middle = (failing + passing) / 2
            if late(min(middle * leadStep, maxLead), target) <= target {
                passing = middle
            } else {
                failing = middle
            }
        }
        return min(passing * leadStep, maxLead)
    }
}
