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
    }

    struct Outcome {
        var forecast: [ForecastEntry]
        /// The lead chosen (0: nobody starts early).
        var lead: Int64
        /// Early workloads whose early start has come (indices into the `early` input).
        var startNow: [Int]
        /// Workloads the pessimistic forecast without early starts sees finishing too late.
        var lateWithoutLead: Int
        /// The next instant an early start comes, with this lead.
        var nextEarlyStart: Timestamp?
    }

    /// `pending`: restarts that may start at `notBefore` (due now, cooldowns, …); `early`: not due
    /// yet, starting at `due` or, spread, up to their max-lead before. `leadHint`: the last plan's
    /// lead, tried first (it changes the cost, not the answer: see `searchLead`).
    func plan(now: Timestamp, active: [WorkloadID: Timestamp], pending: [(WorkloadAssessment, notBefore: Timestamp)],
              early: [Early], leadHint: Int64 = 0) -> Outcome {
        // Both lists in one priority order, sorted once; `earlyAt[i]` says which early entry is i.
        var all: [(workload: WorkloadAssessment, notBefore: Timestamp, early: Int?)] =
            pending.map { ($0.0, $0.notBefore, nil) } + early.enumerated().map { ($1.workload, $1.due, $0) }
        all = Self.inPriorityOrder(all)
        let simulator = ForecastSimulator(config: config, durations: durations)
        let prepared = simulator.prepare(all.map(\.workload), now: now)
        let safety = config.leadSafety ?? Self.safety(samples: durations.samples)
        // Each early entry's due time and max-lead, read once for the few forecasts below.
        let earlyDue = early.map(\.due)
        let earlyMaxLead = early.map(\.workload.policy.maxLead)

        func startTimes(lead: Int64) -> [Timestamp] {
            all.map { entry in
                guard let i = entry.early else { return entry.notBefore }
                return max(now, earlyDue[i] - min(lead, earlyMaxLead[i]))
            }
        }
        // Leads past every early entry's due time (or max-lead) give the same start times: the
        // forecast of one set of start times is made once.
        var made: [[Timestamp]: (entries: [ForecastEntry], late: Int)] = [:]
        func forecast(lead: Int64) -> (entries: [ForecastEntry], late: Int) {
            let starts = startTimes(lead: lead)
            if let known = made[starts] { return known }
            let entries = simulator.run(now: now, active: active, prepared, notBefore: starts, durationScale: safety)
            let result = (entries, entries.filter(Self.isLate).count)
            made[starts] = result
            return result
        }

        let maxLead = earlyMaxLead.max() ?? 0
        // Spreading off, or nothing that could start early: no pessimistic forecast is needed.
        let plain = config.spreadHerds && maxLead > 0 ? forecast(lead: 0) : (entries: [], late: 0)
        var chosen = (lead: Int64(0), forecast: plain)
        if plain.late > 0 {
            chosen = Self.searchLead(maxLead: maxLead, hint: leadHint, plain: plain) { forecast(lead: $0) }
        }

        // The forecast as published: the expected durations, the chosen start times.
        let published = simulator.run(now: now, active: active, prepared, notBefore: startTimes(lead: chosen.lead))
        var startNow: [Int] = []
        var nextEarlyStart: Timestamp?
        if chosen.lead > 0 {
            for i in early.indices {
                let start = earlyDue[i] - min(chosen.lead, earlyMaxLead[i])
                if start <= now {
                    startNow.append(i)
                } else if nextEarlyStart.map({ start < $0 }) ?? true {
                    nextEarlyStart = start
                }
            }
        }
        return Outcome(forecast: published, lead: chosen.lead, startNow: startNow,
                       lateWithoutLead: plain.late, nextEarlyStart: nextEarlyStart)
    }

    /// The smallest lead, in whole days up to `maxLead`, whose forecast has as few late as the
    /// widest lead's (its forecast with it); no lead when even the widest saves nobody.
    ///
    /// Passes come minutes apart while a herd is under way, and its lead changes little between
    /// them (it shrinks as the herd is worked off): when the herd fits with the last plan's lead
    /// (`hint`), the search goes down from it in doubling steps until a lead does not fit, then
    /// halves between the two — two or three forecasts instead of eight or nine. Where lateness
    /// does not grow with the lead the answer is the full search's own; with windows it can (a
    /// lead a day longer may pack one restart into a later night), and then the two searches may
    /// settle on different leads that both fit.
    static func searchLead(
        maxLead: Int64, hint: Int64, plain: (entries: [ForecastEntry], late: Int),
        forecast: (Int64) -> (entries: [ForecastEntry], late: Int)
    ) -> (lead: Int64, forecast: (entries: [ForecastEntry], late: Int)) {
        let days = (maxLead + leadStep - 1) / leadStep
        let hintDays = min(days, (hint + leadStep - 1) / leadStep)
        // Smallest number of days that does as well as the widest lead: between `failing` (too
        // few; 0 is, since the plain forecast is late) and `passing`.
        var failing: Int64 = 0
        var passing: Int64
        var passingForecast: (entries: [ForecastEntry], late: Int)
        let atHint = hintDays > 0 ? forecast(min(hintDays * leadStep, maxLead)) : nil
        if let atHint, atHint.late == 0 {
            // Nothing late with the hint: the widest lead can do no better.
            passing = hintDays
            passingForecast = atHint
            var step: Int64 = 1
            while passing - step > 0 {
                let attempt = forecast((passing - step) * leadStep)
                guard attempt.late == 0 else {
                    failing = passing - step
                    break
                }
                passing -= step
                passingForecast = attempt
                step *= 2
            }
        } else {
            let widest = forecast(maxLead)
            guard widest.late < plain.late else { return (0, plain) }
            passing = days
            passingForecast = widest
            // The hint with more late than the widest: too few days, the answer lies above it.
            if let atHint, atHint.late > widest.late { failing = hintDays }
        }
        let target = passingForecast.late
        while passing - failing > 1 {
            let middle = (failing + passing) / 2
            let attempt = forecast(min(middle * leadStep, maxLead))
            if attempt.late <= target {
                passing = middle
                passingForecast = attempt
            } else {
                failing = middle
            }
        }
        return (min(passing * leadStep, maxLead), passingForecast)
    }

    /// `Planner.priorityOrder`, with each workload's sort key read once (a herd's thousands
    /// are compared some 50,000 times).
    static func inPriorityOrder(
        _ items: [(workload: WorkloadAssessment, notBefore: Timestamp, early: Int?)]
    ) -> [(workload: WorkloadAssessment, notBefore: Timestamp, early: Int?)] {
        let never = Timestamp(seconds: .max)
        let keys = items.map { item in
            let w = item.workload
            return (stale: w.classification == .confirmedStale ? 0 : 1, deadline: w.deadline ?? never, urgency: w.classification.urgency, id: w.id)
        }
        let order = items.indices.sorted { a, b in
            (keys[a].stale, keys[a].deadline, keys[a].urgency, keys[a].id) < (keys[b].stale, keys[b].deadline, keys[b].urgency, keys[b].id)
        }
        return order.map { items[$0] }
    }

    /// Finishing after deadline − margin, or never starting; a deadline already passed cannot be
    /// saved by any lead and does not count.
    static func isLate(_ entry: ForecastEntry) -> Bool {
        guard !entry.deadlinePassed, let deadline = entry.deadline else { return false }
        guard let end = entry.expectedCompletion else { return true }
        return end > deadline - margin
    }
}
