import Act
import APIClient
import Assess
@testable import Controller
import KubeModel
import Logging
import Observe
@testable import Plan
import Testing

/// The pass's effects as data: given a decision and what its step came to, the Events, metrics
/// and bookkeeping — without a cluster, a clock or a reconciler.
@Suite struct PassEffectsTests {
    let now = ActFixtures.now
    let evict = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
    var id: WorkloadID { evict.workload }
    var flight: PassEffect { .rememberStarted(id, StartedRestart(startedAt: now, strategy: .evict, deadline: ActFixtures.deadline)) }

    @Test func anEvictedPodEndsTheBackoffAndIsTold() {
        let pod = ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-a", uid: "p-1")
        let effects = PassEffects.evictionStep(.evicted(pod), evict, restartedAt: now, givesUpAt: now + 601, workload: nil, now: now)
        #expect(effects == [
            flight, .clearFailures(id), .countEviction(kind: "ReplicationController", .succeeded),
            .event(WardenEvent(decision: evict, type: .normal, reason: .podEvicted, message: "Evicted pod legacy-a to replace its token", action: "Evict")),
        ])
    }

    @Test func aRefusedEvictionBacksOffNoLaterThanTheSequenceGivesUp() {
        let status = APIStatus(message: "Cannot evict pod as it would violate the pod's disruption budget.", reason: "TooManyRequests", code: 429)
        let effects = PassEffects.evictionStep(.blocked(status, retryAfterSeconds: 5), evict, restartedAt: now, givesUpAt: now + 90,
                                               workload: nil, now: now)
        #expect(effects == [
            flight, .countEviction(kind: "ReplicationController", .blocked),
            .recordFailure(id, .transient(retryAfter: 5), cause: "eviction refused: Cannot evict pod as it would violate the pod's disruption budget.",
                           reason: "TooManyRequests", generation: nil, then: .retry(notAfter: now + 90)),
        ])
        let entry = FailureMemory.Entry(failures: 1, until: now + 300, failure: .transient(retryAfter: 5), generation: nil, cause: "x", since: now, lastFailedAt: now)
        #expect(PassEffects.afterFailure(.retry(notAfter: now + 90), entry: entry) == [.retryAt(now + 90)])
        #expect(PassEffects.afterFailure(.retry(notAfter: nil), entry: entry) == [.retryAt(now + 300)])
        #expect(PassEffects.afterFailure(.none, entry: entry).isEmpty)
    }

    @Test func aSequenceThatGaveUpFreesItsSlotAndIsTriedAgainAfterABackoff() {
        let effects = PassEffects.evictionStep(.timedOut, evict, restartedAt: now, givesUpAt: nil, workload: nil, now: now)
        #expect(effects == [
            flight, .forgetStarted(id), .countEviction(kind: "ReplicationController", .timedOut),
            .recordFailure(id, .gaveUp(deadline: ActFixtures.deadline), cause: "the eviction sequence gave up after --evict-timeout",
                           generation: nil, then: .retryNoticed),
        ])
    }

    @Test func aFinishedSequenceIsAnnouncedOnceAndRecordedOnTheWorkload() throws {
        let restartedAt = now - 600
        let effects = PassEffects.evictionStep(.done, evict, restartedAt: restartedAt, givesUpAt: nil, workload: nil, now: now)
        #expect(Array(effects.prefix(3)) == [flight, .forgetStarted(id), .clearFailures(id)])
        guard case .once(let key, let paced, let then, let otherwise) = try #require(effects.last) else {
            Issue.record("no completion: \(effects)")
            return
        }
        #expect(key == "completed:\(id):\(restartedAt.seconds)" && paced && otherwise.isEmpty)
        #expect(then.first == PassEffect.stopUnlessWritable, "nothing of it once the lease is in doubt")
        #expect(then.contains(.countRestart(kind: "ReplicationController", .succeeded)))
        #expect(then.contains(.event(WardenEvent(regarding: evict.ref, type: .normal, reason: .restartCompleted,
                                                  message: "Restart from 2026-11-23T11:50:00Z finished; every pod now holds a fresh token"))))
        #expect(then.last == PassEffect.recordCompletion(evict.ref, id))
        // Without a known start there is nothing to announce.
        #expect(PassEffects.evictionStep(.done, evict, restartedAt: nil, givesUpAt: nil, workload: nil, now: now)
            == [flight, .forgetStarted(id), .clearFailures(id)])
        // Said before: not built again.
        #expect(PassEffects.completion(evict.ref, id: id, restartedAt: restartedAt, alreadySaid: { $0 == key }).isEmpty)
    }

    @Test func aFailedWriteIsToldOncePerRunWithTheServersWords() {
        let decision = ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false))
        let entry = FailureMemory.Entry(failures: 2, until: now + 3600, failure: .permanent, generation: 1,
                                        cause: "forbidden: cannot patch deployments", since: now - 60, lastFailedAt: now)
        let metadata: Logger.Metadata = ["error": "forbidden: cannot patch deployments", "failures": "2", "retryAt": "2026-11-23T13:00:00Z"]
        #expect(PassEffects.afterFailure(.announce(decision), entry: entry) == [
            .retryAt(now + 3600), .countRestart(kind: "Deployment", .failed),
            .once("failed:\(entry.since.seconds):forbidden: cannot patch deployments:\(decision.workload):\(ActFixtures.deadline.seconds)",
                  paced: false,
                  then: [.log(.error, "restart failed", metadata),
                         .event(WardenEvent(decision: decision, type: .warning, reason: .restartFailed,
                                            message: "Restart failed: forbidden: cannot patch deployments; retrying will not change the answer; tried again at 2026-11-23T13:00:00Z or when the workload changes",
                                            action: "Restart"))],
                  otherwise: [.log(.debug, "restart failed", metadata)]),
        ])
    }

    @Test func decisionsThatWriteNothingSayWhyOncePerCondition() {
        let report = ActFixtures.decision(.deployment, name: "web", action: .warnOnly(.reportMode))
        #expect(PassEffects.decided(report, backoff: nil) == [
            .once("warn:report-mode:\(report.workload):\(ActFixtures.deadline.seconds)", paced: true, then: [
                .countRestart(kind: "Deployment", .reported),
                .event(WardenEvent(decision: report, type: .normal, reason: .wouldRestart, message: report.message, action: "Assess")),
            ]),
        ])
        let window = ActFixtures.decision(.deployment, name: "web", action: .deferred(.window, until: now + 3600))
        #expect(PassEffects.decided(window, backoff: nil) == [
            .once("deferred:window:\(window.workload):\(ActFixtures.deadline.seconds)", paced: true, then: [
                .countDeferral(.maintenanceWindow),
                .event(WardenEvent(decision: window, type: .normal, reason: .restartDeferred, message: window.message, action: "Assess")),
            ]),
        ])
        // Deferred by a backoff: only with the run of failures it waits for.
        let backoff = ActFixtures.decision(.deployment, name: "web", action: .deferred(.backoff, until: now + 120))
        #expect(PassEffects.decided(backoff, backoff: nil).isEmpty)
        let entry = FailureMemory.Entry(failures: 3, until: now + 120, failure: .transient(retryAfter: nil), generation: nil, cause: "503", since: now - 30, lastFailedAt: now)
        guard case .once(let key, true, let then, _) = PassEffects.decided(backoff, backoff: entry).first else {
            Issue.record("no announcement")
            return
        }
        #expect(key == "deferred:backoff:\(entry.since.seconds):\(backoff.workload):\(ActFixtures.deadline.seconds)")
        #expect(then.last == PassEffect.event(WardenEvent(decision: backoff, type: .normal, reason: .restartDeferred,
                                                message: "Restart deferred until 2026-11-23T12:02:00Z (backoff after 3 failed attempt(s)): 503")))
        #expect(PassEffects.decided(ActFixtures.decision(.deployment, name: "web", action: .restart(.rollout, resume: false)), backoff: nil).isEmpty)
    }

    @Test func theExecutorsReportsBecomeItsEvents() {
        let rollout = ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false))
        #expect(PassEffects.event(for: .rolloutStarted(rollout, patch: "kubectl.kubernetes.io/restartedAt=2026-11-23T12:00:00Z")) == WardenEvent(
            decision: rollout, type: .normal, reason: .restartStarted,
            message: "rollout restart started (kubectl.kubernetes.io/restartedAt=2026-11-23T12:00:00Z): \(rollout.message)", action: "Restart"))
        #expect(PassEffects.event(for: .evictionRefused(evict, pod: "legacy-a", status: "budget")) == WardenEvent(
            decision: evict, type: .warning, reason: .evictionBlocked, message: "eviction of pod legacy-a refused: budget", action: "Evict"))
        let pod = ObjectRef(kind: "Pod", namespace: "shop", name: "tool", uid: "tool-1")
        let started = PassEffects.event(for: .recreationStarted(evict, pod: pod))
        #expect(started.regarding == pod && started.reason == .restartStarted && started.action == "Recreate")
    }

    @Test func aRestartDecisionAlwaysSaysHowToRestart() {
        for strategy in RestartStrategy.allCases {
            #expect((strategy.method == nil) == (strategy == .warnOnly), "\(strategy)")
            #expect(strategy.method.map(\.rawValue) ?? strategy.rawValue == strategy.rawValue)
        }
    }
}

/// The gauges a pass sets, from its assessment and plan alone.
@Suite struct PassGaugesTests {
    @Test func podsAndWorkloadsAreCountedByClassAndDeadline() {
        let old = DeploymentFamily("shop", "web", replicas: 3, ageDays: 350)
        let fresh = DeploymentFamily("shop", "api", replicas: 2, ageDays: 10)
        let assessment = Assessor().assess(makeCaches([old, fresh]).snapshot(), now: reconcileNow)
        let plan = Planner().plan(assessment, now: reconcileNow)
        let gauges = PassGauges(assessment, plan, now: reconcileNow)
        #expect(gauges.podCounts == [.atRisk: 3, .ok: 2])
        #expect(gauges.workloadCounts[.atRisk] == 1 && gauges.workloadCounts[.ok] == 1)
        #expect(gauges.podsWithEvidence.isEmpty)
        let web = gauges.workloadDeadlines.first { $0.name == "web" }
        #expect(web?.needsRestart == true && web?.kind == "Deployment" && web?.namespace == "shop")
        #expect(web.map { $0.secondsRemaining > 0 && $0.secondsRemaining < 30 * 86_400 } == true, "at risk: within restart-before")
        #expect(gauges.forecastMisses == plan.predictedMisses.count)
        #expect(gauges.lastSuccessfulSync == Double(reconcileNow.seconds))
    }
}

/// A restart's completion is announced when nothing of it runs any more: an eviction sequence
/// whose remaining old pods need no restart by themselves is still under way.
@Suite struct CompletionAnnouncementTests {
    @Test func aRestartStillRunningIsNotAnnouncedAsCompleted() {
        let restarted = DeploymentFamily("shop", "web", replicas: 2, ageDays: 1, annotations: [
            PolicyAnnotation.restartedAt: (reconcileNow - 3 * 3600).rfc3339,
            PolicyAnnotation.restartForDeadline: (reconcileNow + 300 * 86_400).rfc3339,
        ])
        let assessment = Assessor().assess(makeCaches([restarted]).snapshot(), now: reconcileNow)
        let id = WorkloadID(kind: .deployment, namespace: "shop", name: "web")
        func completed(_ effects: [PassEffect]) -> Bool {
            effects.contains { effect in
                guard case .once(let key, _, _, _) = effect else { return false }
                return key.hasPrefix("completed:")
            }
        }
        let finished = Planner().plan(assessment, now: reconcileNow)
        #expect(completed(PassEffects.announcements(assessment, finished, now: reconcileNow)))
        let running = Planner().plan(assessment, now: reconcileNow,
                                     startedRestarts: [id: StartedRestart(startedAt: reconcileNow - 60, strategy: .evict)])
        #expect(running.running[id] != nil)
        #expect(!completed(PassEffects.announcements(assessment, running, now: reconcileNow)))
    }
}
