import Assess
import KubeModel
import Plan
import Testing

/// A small cluster builder for planner scenarios. Pod start S gives deadline S − 48m16s + 365 d.
struct Cluster {
    var snapshot = ClusterSnapshot()

    /// A Deployment in `ns` whose one pod started at `start`.
    mutating func deployment(_ name: String, ns: String = "a", start: String, annotations: [String: String]? = nil,
                             progressing: Bool = false, podUID: String? = nil) {
        var (d, rs, owner) = Tests.deployment(name, annotations: annotations)
        d.metadata.namespace = ns
        rs.metadata.namespace = ns
        if progressing { d.status?.updatedReplicas = 0 }
        snapshot.deployments.append(d)
        snapshot.replicaSets.append(rs)
        snapshot.pods.append(PodRecord(makePod(name: "\(name)-1", namespace: ns, uid: podUID, containers: [TestContainer(startedAt: start)], owner: owner)))
        if !snapshot.namespaces.contains(where: { $0.metadata.name == ns }) { snapshot.namespaces.append(namespace(ns)) }
    }

    mutating func add(_ pod: Pod) { snapshot.pods.append(PodRecord(pod)) }

    func assess(now: Timestamp, evidence: [String: TokenEvidence] = [:], defaults: PolicyDefaults = PolicyDefaults()) -> Assessment {
        Assessor(defaults: defaults).assess(snapshot, now: now, evidence: evidence)
    }
}

/// `deployment(...)` of TestObjects, reachable from inside `Cluster`.
enum Tests {
    static func deployment(_ name: String, annotations: [String: String]?) -> (Deployment, ReplicaSet, OwnerReference) {
        AssessTests.deployment(name, annotations: annotations)
    }
}

@Suite struct PlannerTests {
    let now = t("2026-11-23T19:00:00Z")  // a Monday
    // Starts and the deadlines they give.
    let s1 = "2025-12-01T00:00:00Z"  // deadline 2026-11-30T23:11:44Z
    let s2 = "2025-12-03T00:00:00Z"  // deadline 2026-12-02T23:11:44Z
    let s3 = "2025-12-05T00:00:00Z"  // deadline 2026-12-04T23:11:44Z

    func names(_ plan: Plan) -> [String] { plan.decisions.map { "\($0.workload.name):\($0.action.name)" } }

    @Test func earliestDeadlineFirstWithinTheClusterLimit() {
        var c = Cluster()
        c.deployment("late", ns: "x", start: s3)
        c.deployment("early", ns: "y", start: s1)
        c.deployment("middle", ns: "z", start: s2)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(names(plan) == ["early:restart", "middle:deferred", "late:deferred"])
        #expect(plan.decisions[0].action == .restart(.rollout, resume: false))
        #expect(plan.decisions[0].deadline == t("2026-11-30T23:11:44Z"))
        #expect(plan.decisions[1].action == .deferred(.clusterLimit, until: nil))
        #expect(plan.decisions[0].pods == [ObjectRef(kind: "Pod", namespace: "y", name: "early-1", uid: "uid-early-1")])
        #expect(plan.running.count == 1)
        #expect(plan.forecast.map(\.earliestStart) == [now, now + 300, now + 600])
        #expect(plan.forecast.map(\.expectedCompletion) == [now + 300, now + 600, now + 900])
        #expect(plan.predictedMisses.isEmpty)
        #expect(plan.requeueAt == now + 60)
        #expect(plan.requeueAfter == 60)
        #expect(plan.decisions[1].message.hasPrefix("restart deferred: cluster-wide limit"))
    }

    @Test func namespaceLimit() {
        var c = Cluster()
        c.deployment("a1", ns: "a", start: s1)
        c.deployment("a2", ns: "a", start: s2)
        c.deployment("b1", ns: "b", start: s3)
        let plan = Planner(config: PlannerConfig(maxConcurrent: 3)).plan(c.assess(now: now), now: now)
        #expect(names(plan) == ["a1:restart", "a2:deferred", "b1:restart"])
        #expect(plan.decisions[1].action == .deferred(.namespaceLimit, until: nil))
        #expect(plan.forecast.first { $0.workload.name == "a2" }?.earliestStart == now + 300)
    }

    @Test func maintenanceWindowDefersAndForecasts() {
        var c = Cluster()
        c.deployment("web", start: s1, annotations: ["token-warden.dev/maintenance-window": "Mon-Fri 02:00-05:00 Europe/Berlin"])
        c.deployment("api", ns: "b", start: s2)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(names(plan) == ["web:deferred", "api:restart"])
        #expect(plan.decisions[0].action == .deferred(.window, until: t("2026-11-24T01:00:00Z")))
        #expect(plan.decisions[0].message.contains("outside maintenance window \"Mon-Fri 02:00-05:00 Europe/Berlin\""))
        let web = plan.forecast.first { $0.workload.name == "web" }!
        #expect(web.earliestStart == t("2026-11-24T01:00:00Z"))
        #expect(web.expectedCompletion == t("2026-11-24T01:05:00Z"))
        #expect(!web.missesDeadline)
    }

    @Test func forecastFindsMissesWhenWindowsAreTooShort() {
        var c = Cluster()
        let window = ["token-warden.dev/maintenance-window": "Sat 02:00-03:00 UTC"]
        c.deployment("first", ns: "a", start: s1, annotations: window)
        c.deployment("second", ns: "b", start: s2, annotations: window)
        let plan = Planner(config: PlannerConfig(typicalRolloutDuration: 3600)).plan(c.assess(now: now), now: now)
        #expect(plan.forecast.map(\.earliestStart) == [t("2026-11-28T02:00:00Z"), t("2026-12-05T02:00:00Z")])
        #expect(plan.forecast.map(\.missesDeadline) == [false, true])
        #expect(plan.predictedMisses.map(\.workload.name) == ["second"])
    }

    @Test func confirmedStaleGoesFirst() {
        var c = Cluster()
        c.deployment("early", ns: "a", start: s1)
        c.deployment("stale", ns: "b", start: s3, podUID: "stale-pod")
        let plan = Planner().plan(c.assess(now: now, evidence: tokenEvidence("stale-pod", issued: "2025-12-04T23:11:44Z")), now: now)
        #expect(names(plan) == ["stale:restart", "early:deferred"])
        #expect(plan.decisions[0].classification == .confirmedStale)
    }

    @Test func neverTwiceForTheSameDeadline() {
        var c = Cluster()
        c.deployment("web", start: s1, annotations: [PolicyAnnotation.restartedAt: "2026-11-23T17:00:00Z",
                                                      PolicyAnnotation.restartForDeadline: "2026-11-30T23:11:44Z"])
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.alreadyRestarted(forDeadline: t("2026-11-30T23:11:44Z"))])
    }

    @Test func ourRolloutInProgressCountsAgainstTheLimit() {
        var c = Cluster()
        c.deployment("web", start: s1, annotations: [PolicyAnnotation.restartedAt: "2026-11-23T18:55:00Z",
                                                      PolicyAnnotation.restartForDeadline: "2026-11-30T23:11:44Z"], progressing: true)
        c.deployment("api", ns: "b", start: s2)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(names(plan) == ["web:in-progress", "api:deferred"])
        #expect(plan.decisions[0].action == .inProgress(since: t("2026-11-23T18:55:00Z")))
        // The running rollout should end 19:00:00 (18:55 + 5 m): api can start then.
        #expect(plan.forecast.first?.earliestStart == now)
    }

    @Test func rolloutTimeoutIsReportedAndKeepsItsSlotWhileRolling() {
        var c = Cluster()
        c.deployment("web", start: s1, annotations: [PolicyAnnotation.restartedAt: "2026-11-23T18:40:00Z",
                                                      PolicyAnnotation.restartForDeadline: "2026-11-30T23:11:44Z"], progressing: true)
        c.deployment("api", ns: "b", start: s2)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(names(plan) == ["web:rollout-timed-out", "api:deferred"])  // more cases in PlannerRolloutTimeoutTests
        #expect(plan.decisions[0].action == .rolloutTimedOut(since: t("2026-11-23T18:40:00Z")))
    }

    @Test func cooldownAfterARestartForAnotherDeadline() {
        var c = Cluster()
        c.deployment("web", start: s1, annotations: [PolicyAnnotation.restartedAt: "2026-11-23T18:30:00Z",
                                                      PolicyAnnotation.restartForDeadline: "2026-11-01T00:00:00Z"])
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.deferred(.cooldown, until: t("2026-11-23T19:30:00Z"))])
        #expect(plan.forecast.first?.earliestStart == t("2026-11-23T19:30:00Z"))
    }

    @Test func someoneElsesRolloutIsWaitedFor() {
        var c = Cluster()
        c.deployment("web", start: s1, progressing: true)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.deferred(.rolloutInProgress, until: nil)])
    }

    @Test func warnOnlyCases() {
        var c = Cluster()
        c.deployment("dry", ns: "a", start: s1, annotations: ["token-warden.dev/mode": "report"])
        var paused = Cluster()
        paused.deployment("p", start: s1, annotations: ["token-warden.dev/strategy": "rollout"])
        c.snapshot.deployments += paused.snapshot.deployments.map { var d = $0; d.metadata.namespace = "b"; d.spec.paused = true; return d }
        c.snapshot.replicaSets += paused.snapshot.replicaSets.map { var r = $0; r.metadata.namespace = "b"; return r }
        c.add(makePod(name: "p-1", namespace: "b", containers: [TestContainer(startedAt: s2)], owner: ownerRef("ReplicaSet", "p-rs")))
        c.add(makePod(name: "bare", namespace: "c", containers: [TestContainer(startedAt: s1)]))
        c.add(makePod(name: "short", namespace: "d", volume: .apiProjected(expirationSeconds: 7200)))
        let plan = Planner().plan(c.assess(now: now), now: now)
        let actions = Dictionary(uniqueKeysWithValues: plan.decisions.map { ($0.workload.name, $0.action) })
        #expect(actions["dry"] == .warnOnly(.reportMode))
        #expect(actions["p"] == .warnOnly(.strategyBlocked))
        #expect(actions["bare"] == .warnOnly(.noRestartStrategy))
        #expect(actions["short"] == .warnOnly(.unprotectable))
        #expect(plan.restarts.isEmpty)
        #expect(plan.forecast.isEmpty)
        #expect(plan.decision(for: WorkloadID(kind: .pod, namespace: "c", name: "bare"))?.message.contains("strategy: recreate") == true)
    }

    /// A ReplicationController whose eviction sequence is recorded, one old pod left and one replaced.
    private func legacySequence(restartedAt: String, handled: String) -> Cluster {
        var c = Cluster()
        let rc = ReplicationController(metadata: meta("legacy", kind: "ReplicationController", annotations: [
            PolicyAnnotation.restartedAt: restartedAt, PolicyAnnotation.restartForDeadline: handled,
        ]), spec: ReplicaSpec(replicas: 2), status: ReplicaStatus(replicas: 2, readyReplicas: 2, availableReplicas: 2))
        c.snapshot.replicationControllers = [rc]
        c.add(makePod(name: "legacy-old", containers: [TestContainer(startedAt: s1)], owner: ownerRef("ReplicationController", "legacy")))
        c.add(makePod(name: "legacy-new", containers: [TestContainer(startedAt: "2026-11-23T18:59:00Z")], owner: ownerRef("ReplicationController", "legacy")))
        return c
    }

    @Test func interruptedEvictionSequenceResumes() {
        let c = legacySequence(restartedAt: "2026-11-23T18:58:00Z", handled: "2026-11-30T23:11:44Z")
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.restart(.evict, resume: true)])
        #expect(plan.decisions[0].pods.map(\.name) == ["legacy-old"])
    }

    /// The first pods a sequence evicted had the earliest deadline: what remains has a later one.
    /// The record for the earlier deadline is the same sequence, resumed — unless it is old.
    @Test(arguments: [("2026-11-23T18:58:00Z", "2026-11-29T00:00:00Z", true), ("2025-11-20T10:00:00Z", "2025-11-27T00:00:00Z", false)])
    func aSequenceWhoseDeadlineMovedResumesWithinTheTimeout(restartedAt: String, handled: String, resumes: Bool) {
        let c = legacySequence(restartedAt: restartedAt, handled: handled)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.restart(.evict, resume: resumes)])
    }

    @Test func inFlightRestartsCount() {
        var c = Cluster()
        c.deployment("web", start: s1)
        let other = WorkloadID(kind: .replicationController, namespace: "q", name: "gone")
        let plan = Planner().plan(c.assess(now: now), now: now, startedRestarts: [other: StartedRestart(startedAt: now - 60, strategy: .evict)])
        #expect(plan.decisions.map(\.action) == [.deferred(.clusterLimit, until: nil)])
        #expect(plan.forecast.first?.earliestStart == now + 240)
    }

    @Test func requeueAtTheNextTransition() {
        var c = Cluster()
        // Restart due 30 s from now: 2026-11-23T19:00:30Z + 30 d = deadline; start = deadline + 48m16s − 365 d.
        c.deployment("soon", start: "2025-12-23T19:48:46Z")
        let assessment = c.assess(now: now)
        #expect(assessment.workloads[0].restartDue == t("2026-11-23T19:00:30Z"))
        let plan = Planner().plan(assessment, now: now)
        #expect(plan.decisions.isEmpty)
        #expect(plan.requeueAt == t("2026-11-23T19:00:30Z"))
        #expect(plan.requeueAfter == 30)
    }

    @Test func expiredDeadlinesAreMarkedPassed() {
        var c = Cluster()
        c.deployment("old", start: "2025-11-01T00:00:00Z")
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.forecast.first?.deadlinePassed == true)
        #expect(plan.forecast.first?.missesDeadline == true)
        #expect(plan.predictedMisses.isEmpty)
        #expect(plan.decisions.first?.classification == .expired)
    }

    @Test func tiesAreOrderedByNamespaceThenName() {
        var c = Cluster()
        c.deployment("b", ns: "n2", start: s1)
        c.deployment("a", ns: "n2", start: s1)
        c.deployment("z", ns: "n1", start: s1)
        let plan = Planner(config: PlannerConfig(maxConcurrent: 5, maxConcurrentPerNamespace: 5)).plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.workload.description) == ["Deployment/n1/z", "Deployment/n2/a", "Deployment/n2/b"])
    }

    @Test func rotationRestartIsNotRepeatedWhileReplacementsSettle() {
        // Key rotation at 18:00; we restarted at 18:10 for deadline T. The replacement pod started at 18:11 is still
        // "invalidated" by the conservative rule (18:11 < 18:00 + 48m16s), but it is ours: nothing to do.
        var c = Cluster()
        c.deployment("web", start: "2026-11-23T18:11:00Z", annotations: [
            "token-warden.dev/tokens-invalid-before": "2026-11-23T18:00:00Z",
            PolicyAnnotation.restartedAt: "2026-11-23T18:10:00Z", PolicyAnnotation.restartForDeadline: "2026-11-23T18:00:00Z",
        ])
        let assessment = c.assess(now: now)
        #expect(assessment.workloads[0].classification == .invalidated)
        let plan = Planner().plan(assessment, now: now)
        #expect(plan.decisions.isEmpty)
        #expect(plan.running.isEmpty)
    }

    @Test func runningRestartsAreListed() {
        var c = Cluster()
        c.deployment("web", start: s1)
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.running == [WorkloadID(kind: .deployment, namespace: "a", name: "web"): now])
    }

    @Test func forecastSeesACrowdOfDeadlinesComing() {
        // Three workloads whose pods all started together a year ago: restart due Wednesday 23:11:44, deadline
        // Saturday 23:11:44; one 2-hour window on Saturdays, rollouts take an hour, one at a time.
        var c = Cluster()
        let policy = ["token-warden.dev/restart-before": "3d", "token-warden.dev/maintenance-window": "Sat 02:00-04:00 UTC"]
        for (name, ns) in [("a", "n1"), ("b", "n2"), ("c", "n3")] {
            c.deployment(name, ns: ns, start: "2025-11-29T00:00:00Z", annotations: policy)
        }
        let assessment = c.assess(now: now)
        #expect(assessment.workloads.allSatisfy { $0.classification == .ok && $0.restartDue == t("2026-11-25T23:11:44Z") })
        let plan = Planner(config: PlannerConfig(typicalRolloutDuration: 3600)).plan(assessment, now: now)
        #expect(plan.decisions.isEmpty)
        #expect(plan.forecast.map(\.earliestStart) == [t("2026-11-28T02:00:00Z"), t("2026-11-28T03:00:00Z"), t("2026-12-05T02:00:00Z")])
        #expect(plan.forecast.allSatisfy { $0.upcoming })
        #expect(plan.predictedMisses.map(\.workload.name) == ["c"])
        // Beyond the horizon, nothing is forecast yet; with herd spreading on, the horizon reaches max-lead ahead.
        let short = Planner(config: PlannerConfig(typicalRolloutDuration: 3600, forecastHorizon: 86_400, spreadHerds: false)).plan(assessment, now: now)
        #expect(short.forecast.isEmpty)
        let spreading = Planner(config: PlannerConfig(typicalRolloutDuration: 3600, forecastHorizon: 86_400)).plan(assessment, now: now)
        #expect(spreading.forecast == plan.forecast)
    }

    @Test func optInStrategiesForBarePodsAndJobs() {
        var c = Cluster()
        c.add(makePod(name: "bare", namespace: "a", containers: [TestContainer(startedAt: s1)], annotations: ["token-warden.dev/strategy": "recreate"]))
        c.snapshot.jobs = [Job(metadata: meta("etl", namespace: "b", kind: "Job", annotations: ["token-warden.dev/strategy": "evict"]))]
        c.add(makePod(name: "etl-1", namespace: "b", containers: [TestContainer(startedAt: s2)], owner: ownerRef("Job", "etl")))
        let plan = Planner(config: PlannerConfig(maxConcurrent: 2)).plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.restart(.recreate, resume: false), .restart(.evict, resume: false)])
        #expect(plan.decisions.map(\.workload.kind) == [.pod, .job])
    }

    @Test func flagDefaultsApplyWithoutAnnotations() {
        var c = Cluster()
        c.deployment("web", start: s1)
        guard case .success(let window) = MaintenanceWindow.parse("Sat 02:00-03:00 UTC") else { Issue.record("window"); return }
        let defaults = PolicyDefaults(mode: .report, maintenanceWindow: window)
        let assessment = c.assess(now: now, defaults: defaults)
        #expect(assessment.workloads[0].policy.maintenanceWindow == window)
        let plan = Planner().plan(assessment, now: now)
        #expect(plan.decisions.map(\.action) == [.warnOnly(.reportMode)])
        #expect(plan.decisions[0].message.hasPrefix("would restart (rollout) but mode is report"))
    }

    @Test func onDeleteDaemonSetIsEvicted() {
        var c = Cluster()
        c.snapshot.daemonSets = [DaemonSet(metadata: meta("agent", kind: "DaemonSet"), spec: .init(updateStrategy: UpdateStrategy(type: "OnDelete")))]
        c.add(makePod(name: "agent-x", containers: [TestContainer(startedAt: s1)], owner: ownerRef("DaemonSet", "agent")))
        let plan = Planner().plan(c.assess(now: now), now: now)
        #expect(plan.decisions.map(\.action) == [.restart(.evict, resume: false)])
        #expect(plan.decisions[0].pods.map(\.name) == ["agent-x"])
    }

    @Test func aRestartForAnotherDeadlineDoesNotCount() {
        // Restarted 2 days ago for a later deadline; a policy change (token-lifetime 90d) has since moved the
        // deadline earlier: this deadline is not handled yet, so the workload is restarted.
        var c = Cluster()
        c.deployment("web", start: "2026-11-21T19:00:00Z", annotations: [
            "token-warden.dev/token-lifetime": "30d", "token-warden.dev/restart-before": "29d",
            PolicyAnnotation.restartedAt: "2026-11-21T18:59:00Z", PolicyAnnotation.restartForDeadline: "2026-11-30T23:11:44Z",
        ])
        let assessment = c.assess(now: now)
        #expect(assessment.workloads[0].deadline == t("2026-12-21T18:11:44Z"))
        #expect(assessment.workloads[0].classification == .atRisk)
        let plan = Planner().plan(assessment, now: now)
        #expect(plan.decisions.map(\.action) == [.restart(.rollout, resume: false)])
    }
}
