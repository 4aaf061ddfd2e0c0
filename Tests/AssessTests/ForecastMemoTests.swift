import Assess
import KubeModel
import Plan
import Testing

/// A plan that reuses the last forecast (`ForecastMemo`) is the plan made without it: on random
/// herds (windows in two time zones, max-leads of their own, one or two slots, both ways of judging
/// the lead) whose clock moves by minutes to hours, whose restarts start, finish and renew their
/// pods' tokens, and whose learned durations change.
@Suite struct ForecastMemoTests {
    struct Member {
        var name: String
        var namespace: String
        var start: Timestamp
        var annotations: [String: String]?
    }

    static let windows = ["02:00-03:00", "Mon-Fri 02:00-05:00 Europe/Berlin", "Sat 22:00-02:00 America/New_York"]
    let defaults = PolicyDefaults(restartBefore: 4 * 86_400, maintenanceWindow: try! MaintenanceWindow.parse("02:00-03:00").get(),
                                  maxLead: 3 * 86_400)

    func assess(_ members: [Member], now: Timestamp) -> Assessment {
        var c = Cluster()
        for m in members { c.deployment(m.name, ns: m.namespace, start: m.start.rfc3339, annotations: m.annotations) }
        return c.assess(now: now, defaults: defaults)
    }

    /// A herd started within a few hours, a few stragglers within weeks of it.
    func herd(_ random: inout SeededRandom) -> [Member] {
        let base = t("2025-12-01T00:00:00Z")
        return (0..<(6 + random.below(30))).map { i in
            var annotations: [String: String] = [:]
            if random.chance(25) { annotations["token-warden.dev/maintenance-window"] = random.pick(Self.windows) }
            if random.chance(20) { annotations["token-warden.dev/max-lead"] = random.pick(["1d", "2d", "5d", "0"]) }
            let offset = random.chance(80) ? Int64(random.below(6 * 3_600)) : Int64(random.below(20 * 86_400))
            return Member(name: "w\(i)", namespace: random.pick(["a", "b", "c"]), start: base + offset,
                          annotations: annotations.isEmpty ? nil : annotations)
        }
    }

    @Test(arguments: UInt64(1)...24) func aReusedForecastIsTheFreshOne(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var members = herd(&random)
        let config = PlannerConfig(maxConcurrent: 1 + random.below(2), typicalRolloutDuration: 1200, resyncInterval: 30 * 86_400,
                                   leadSafety: random.chance(50) ? 1 : nil)
        let memo = ForecastMemo()
        var durations = RestartDurations()
        var started: [WorkloadID: StartedRestart] = [:]
        var finishes: [WorkloadID: Timestamp] = [:]
        var backingOff: [WorkloadID: Timestamp] = [:]
        var lead: Int64 = 0
        var now = t("2026-11-21T00:00:00Z")
        for step in 0..<160 {
            now = now + Int64(1 + random.below(random.pick([120, 3_600, 8 * 3_600])))
            // Restarts that finished renew their pod's token; some teach the durations.
            for (id, end) in finishes where end <= now {
                started[id] = nil
                finishes[id] = nil
                if let i = members.firstIndex(where: { $0.name == id.name }) { members[i].start = end }
                if random.chance(30) { durations.recordRollout(seconds: Int64(600 + random.below(3_000))) }
            }
            // A restart of a workload outside the herd (an operator's, another deadline's) holds a slot.
            let outside = WorkloadID(kind: .deployment, namespace: "a", name: "outside")
            if random.chance(15) { started[outside] = started[outside] == nil ? StartedRestart(startedAt: now, strategy: .rollout) : nil }
            // A refused write backs a workload off until a later time.
            if random.chance(10) {
                let member = random.pick(members)
                let id = WorkloadID(kind: .deployment, namespace: member.namespace, name: member.name)
                backingOff[id] = now + Int64(600 + random.below(2 * 86_400))
            }
            backingOff = backingOff.filter { $0.value > now }
            let assessment = assess(members, now: now)
            let fresh = Planner(config: config).plan(assessment, now: now, startedRestarts: started, backingOff: backingOff,
                                                    durations: durations, leadHint: lead)
            let reused = Planner(config: config).plan(assessment, now: now, startedRestarts: started, backingOff: backingOff,
                                                      durations: durations, leadHint: lead, forecastMemo: memo)
            let same = reused == fresh
            #expect(same, "seed \(seed), step \(step), \(now.rfc3339): \(Self.difference(reused, fresh))")
            guard same else { return }
            lead = fresh.spreadLead
            for decision in fresh.restarts where random.chance(80) {
                started[decision.workload] = StartedRestart(startedAt: now, strategy: .rollout, deadline: decision.deadline)
                finishes[decision.workload] = now + Int64(300 + random.below(4 * 3_600))
            }
        }
        #expect(memo.counts.hits > 0, "seed \(seed): \(memo.counts)")
        #expect(memo.counts.misses > 0, "seed \(seed): \(memo.counts)")
    }

    /// Where two plans first differ, in a line.
    static func difference(_ a: Plan, _ b: Plan) -> String {
        if a.spreadLead != b.spreadLead { return "lead \(a.spreadLead) s against \(b.spreadLead) s" }
        if a.decisions != b.decisions { return "decisions \(a.decisions.map(\.message)) against \(b.decisions.map(\.message))" }
        if let i = a.forecast.indices.first(where: { $0 < b.forecast.count && a.forecast[$0] != b.forecast[$0] }) {
            return "forecast entry \(i): \(a.forecast[i]) against \(b.forecast[i])"
        }
        if a.forecast.count != b.forecast.count { return "a forecast of \(a.forecast.count) against \(b.forecast.count)" }
        return "requeue \(a.requeueAt.rfc3339) against \(b.requeueAt.rfc3339)"
    }
}
