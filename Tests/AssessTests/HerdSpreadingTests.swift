import Assess
import KubeModel
import Plan
import Testing

/// The spreading rule at its boundaries. One slot, a one-hour window every night (02:00 UTC) and
/// 20-minute rollouts: three restarts a night. Every pod of the herd started at one moment, so
/// every workload has the deadline 2026-11-30T23:11:44Z; with restart-before 4 d its restart is
/// due 2026-11-26T23:11:44Z, which leaves the nights of the 27th, 28th and 29th before the
/// deadline − 1 d margin: nine restarts. The lead is judged on the expected durations here
/// (`leadSafety: 1`); `HerdSpreadingSafetyTests` judge it pessimistically, as the controller does.
@Suite struct HerdSpreadingTests {
    let deadline = t("2026-11-30T23:11:44Z")
    let due = t("2026-11-26T23:11:44Z")
    let config = PlannerConfig(maxConcurrent: 1, typicalRolloutDuration: 1200, resyncInterval: 30 * 86_400, leadSafety: 1)

    func herd(_ size: Int, annotations: [String: String]? = nil) -> Cluster {
        var c = Cluster()
        for i in 0..<size {
            c.deployment(String(format: "h%02d", i), ns: String(format: "n%02d", i), start: "2025-12-01T00:00:00Z", annotations: annotations)
        }
        return c
    }

    func assess(_ c: Cluster, now: Timestamp, maxLead: Int64 = 3 * 86_400) -> Assessment {
        let window = try! MaintenanceWindow.parse("02:00-03:00").get()
        return c.assess(now: now, defaults: PolicyDefaults(restartBefore: 4 * 86_400, maintenanceWindow: window, maxLead: maxLead))
    }

    func starts(_ plan: Plan) -> [String] { plan.restarts.map(\.workload.name) }

    @Test func aHerdThatFitsStartsNothingEarly() {
        let now = t("2026-11-25T02:00:00Z")  // a window is open, nothing is due
        let plan = Planner(config: config).plan(assess(herd(9), now: now), now: now)
        #expect(plan.decisions.isEmpty)
        #expect(plan.predictedMisses.isEmpty)
        #expect(plan.forecast.count == 9)
        #expect(plan.forecast.first?.earliestStart == t("2026-11-27T02:00:00Z"))
        #expect(plan.forecast.last?.expectedCompletion == t("2026-11-29T03:00:00Z"))
    }

    @Test func aHerdThatFitsOnlyWithMaxLeadStartsAsLateAsItCan() throws {
        // 15 need five nights: two before the due date, so a lead of 2 d (of the 3 d allowed).
        // Known a week ahead (the forecast horizon): the planner looks again when the lead comes.
        let early = t("2026-11-20T19:00:00Z")
        #expect(Planner(config: config).plan(assess(herd(15), now: early), now: early).requeueAt == due - 2 * 86_400)
        // Before the forecast horizon and max-lead reach it, it looks again when they do.
        let earlier = t("2026-11-10T00:00:00Z")
        let far = Planner(config: config).plan(assess(herd(15), now: earlier), now: earlier)
        #expect(far.forecast.isEmpty)
        #expect(far.requeueAt == due - 7 * 86_400)
        let before = t("2026-11-24T02:00:00Z")
        let waiting = Planner(config: config).plan(assess(herd(15), now: before), now: before)
        #expect(waiting.decisions.isEmpty)
        #expect(waiting.predictedMisses.isEmpty)
        #expect(waiting.requeueAt == due - 2 * 86_400)  // when the first early start comes
        #expect(waiting.forecast.first?.earliestStart == t("2026-11-25T02:00:00Z"))

        let now = t("2026-11-25T02:00:00Z")
        let plan = Planner(config: config).plan(assess(herd(15), now: now), now: now)
        #expect(starts(plan) == ["h00"])
        let decision = try #require(plan.restarts.first)
        #expect(decision.action == .restart(.rollout, resume: false))
        #expect(decision.classification == .ok)
        #expect(decision.deadline == deadline)
        #expect(decision.early == EarlyStart(by: due - now, lateWithout: 6))
        #expect(decision.pods.map(\.name) == ["h00-1"])
        #expect(decision.message.hasPrefix("starting restart (rollout) 2 d early: otherwise 6 workload(s) sharing the deadline window"))
        #expect(plan.predictedMisses.isEmpty)
        #expect(plan.forecast.compactMap(\.expectedCompletion).max()! <= deadline - 86_400)

        // The same herd with spreading off: nothing early, and the forecast sees the misses.
        let off = PlannerConfig(maxConcurrent: 1, typicalRolloutDuration: 1200, resyncInterval: 30 * 86_400, spreadHerds: false, leadSafety: 1)
        let plain = Planner(config: off).plan(assess(herd(15), now: now), now: now)
        #expect(plain.decisions.isEmpty)
        #expect(plain.predictedMisses.count == 3)  // 12 fit before the deadline itself
    }

    @Test func aHerdThatCannotFitIsStartedAtMaxLeadAndItsMissesReported() {
        // 40 workloads; from 3 d before the due date there are seven nights: 21 restarts.
        let now = t("2026-11-24T02:00:00Z")
        let plan = Planner(config: config).plan(assess(herd(40), now: now), now: now)
        #expect(starts(plan) == ["h00"])
        #expect(plan.restarts.first?.message.contains("3 d early") == true)
        #expect(plan.predictedMisses.count == 19)
        #expect(plan.predictedMisses.first?.workload.name == "h21")
        // A day earlier the lead of 3 d has not come yet: nothing starts, the misses are known.
        let earlier = t("2026-11-23T02:00:00Z")
        let ahead = Planner(config: config).plan(assess(herd(40), now: earlier), now: earlier)
        #expect(ahead.decisions.isEmpty)
        #expect(ahead.predictedMisses.count == 19)
    }

    @Test func maxLeadAnnotationCapsTheLeadAndABadValueFallsBack() {
        let now = t("2026-11-25T02:00:00Z")
        // max-lead 0 on the workloads: never early; the misses are reported instead.
        let none = Planner(config: config).plan(assess(herd(15, annotations: ["token-warden.dev/max-lead": "0"]), now: now), now: now)
        #expect(none.decisions.isEmpty)
        #expect(none.predictedMisses.count == 3)

        let bad = assess(herd(15, annotations: ["token-warden.dev/max-lead": "soon"]), now: now)
        #expect(bad.workloads.allSatisfy { $0.policy.maxLead == 3 * 86_400 && $0.policy.origins[.maxLead] == .defaults })
        #expect(bad.diagnostics.contains { $0.annotation == "token-warden.dev/max-lead" && $0.value == "soon" })
        #expect(starts(Planner(config: config).plan(bad, now: now)) == ["h00"])

        let negative = assess(herd(1, annotations: ["token-warden.dev/max-lead": "-2d"]), now: now)
        #expect(negative.diagnostics.first?.problem == "must not be negative")
    }

    @Test func earlyStartsWaitForTheWindowAndTheLimit() {
        // The night of the 25th is lost: 12 fit before the margin, so a lead of 1 d does as well as 3 d.
        let closed = t("2026-11-25T12:00:00Z")
        let plan = Planner(config: config).plan(assess(herd(15), now: closed), now: closed)
        #expect(plan.decisions.isEmpty)
        #expect(plan.requeueAt == due - 86_400)
        #expect(plan.predictedMisses.isEmpty)
        // Its early start has come but the window is closed: no decision (no RestartDeferred noise
        // for a workload that is not due), a look again when the window opens.
        let later = t("2026-11-26T00:00:00Z")
        let waiting = Planner(config: config).plan(assess(herd(15), now: later), now: later)
        #expect(waiting.decisions.isEmpty)
        #expect(waiting.requeueAt == t("2026-11-26T02:00:00Z"))
        let now = t("2026-11-25T02:10:00Z")
        let running = Planner(config: config).plan(assess(herd(15), now: now), now: now,
                                                   startedRestarts: [WorkloadID(kind: .deployment, namespace: "n00", name: "h00"): StartedRestart(startedAt: t("2026-11-25T02:00:00Z"), strategy: .rollout)])
        #expect(running.restarts.isEmpty)
        #expect(running.requeueAt <= t("2026-11-25T02:20:00Z"))  // when the running one ends, at the latest
    }
}

/// An early eviction sequence is handed to the executor pod by pod although its workload is not due.
@Suite struct EarlyEvictionSequenceTests {
    let now = t("2026-11-23T19:00:00Z")

    func plan(podStarts: [String]) -> Plan {
        var c = Cluster()
        c.snapshot.replicationControllers.append(ReplicationController(
            metadata: meta("rc", namespace: "a", kind: "ReplicationController"), spec: ReplicaSpec(replicas: podStarts.count),
            status: ReplicaStatus(replicas: podStarts.count, readyReplicas: podStarts.count, availableReplicas: podStarts.count)))
        c.snapshot.namespaces.append(namespace("a"))
        for (i, start) in podStarts.enumerated() {
            c.add(makePod(name: "rc-\(i)", namespace: "a", containers: [TestContainer(startedAt: start)], owner: ownerRef("ReplicationController", "rc")))
        }
        let id = WorkloadID(kind: .replicationController, namespace: "a", name: "rc")
        let flight = StartedRestart(startedAt: now - 600, strategy: .evict)
        return Planner().plan(c.assess(now: now), now: now, startedRestarts: [id: flight])
    }

    @Test func goesOnWhileOldPodsRemain() {
        let p = plan(podStarts: ["2026-06-01T00:00:00Z", "2026-11-23T18:55:00Z"])
        #expect(p.decisions.map(\.action) == [.inProgress(since: now - 600)])
        #expect(p.decisions.first?.classification == .ok)
    }

    @Test func endsWhenEveryPodIsNew() {
        #expect(plan(podStarts: ["2026-11-23T18:52:00Z", "2026-11-23T18:55:00Z"]).decisions.isEmpty)
    }
}
