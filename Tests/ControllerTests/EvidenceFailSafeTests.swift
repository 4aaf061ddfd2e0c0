import Act
import Assess
import Controller
import Evidence
import KubeModel
import Observe
import Plan
import Synchronization
import Testing

/// restart-on: evidence trusts a live source only: webhook silence beyond --evidence-max-silence
/// falls back to the estimate, and batches flowing again bring evidence mode back (fixed clock).
@Suite struct EvidenceFailSafeTests {
    @Test func silenceFallsBackToTheEstimateAndBatchesBringEvidenceModeBack() async throws {
        // Both at risk by the estimate (~25 d left); neither has evidence.
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340), DeploymentFamily("shop", "api", ageDays: 340)])
        let actions = RecordingActions()
        let now = Mutex(reconcileNow)
        let batches = AuditBatchClock(startedAt: reconcileNow)
        let health = HealthState()
        let metrics = WardenMetrics()
        var configuration = ControllerConfiguration(
            defaults: PolicyDefaults(restartOn: .evidence), planner: PlannerConfig(maxConcurrent: 1, maxConcurrentPerNamespace: 1))
        configuration.evidenceMaxSilenceSeconds = 1800
        configuration.ownPod = ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-0")
        let reconciler = Reconciler(
            caches: caches, configuration: configuration, actions: actions, metrics: metrics, batchClock: batches, health: health,
            clock: { now.withLock { $0 } })
        func gauge() -> String? {
            String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("token_warden_evidence_source_up ") }.map { String($0.dropFirst("token_warden_evidence_source_up ".count)) }
        }

        var outcome = await reconciler.reconcile(isLeader: true)
        #expect(outcome.assessment?.workloads.map(\.classification) == [.unconfirmed, .unconfirmed])
        #expect(actions.rollouts.isEmpty)
        #expect(gauge().flatMap(Double.init) == 1)
        #expect(health.checks().first { $0.name == "evidence-source" }?.passed == true)

        // 31 minutes without a batch: the estimate applies; said once, on the controller's own pod.
        now.withLock { $0 = reconcileNow + 31 * 60 }
        outcome = await reconciler.reconcile(isLeader: true)
        #expect(outcome.assessment?.workloads.map(\.classification).contains(.atRisk) == true)
        #expect(outcome.assessment?.workloads.allSatisfy(\.policy.evidenceFallback) == true)
        #expect(actions.rollouts.count == 1)
        #expect(actions.events(.evidenceSourceSilent).map(\.regarding.name) == ["token-warden-0"])
        #expect(gauge().flatMap(Double.init) == 0)
        let line = try #require(health.checks().first { $0.name == "evidence-source" })
        #expect(!line.passed && !line.gatesReadiness)
        #expect(line.problem?.contains("falls back to the estimate") == true)
        health.setCachesSynced(true)
        health.setTokenReadable(true)
        health.recordAPISuccess()
        #expect(health.isReady, "reported, not failing readiness")
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.evidenceSourceSilent).count == 1)

        // A batch arrives: evidence mode again; the other workload stays unrestarted.
        batches.noteBatch(at: reconcileNow + 32 * 60)
        now.withLock { $0 = reconcileNow + 33 * 60 }
        outcome = await reconciler.reconcile(isLeader: true)
        let restarted = actions.rollouts
        #expect(outcome.assessment?.workloads.contains { $0.classification == .unconfirmed && $0.id.name != restarted.first?.split(separator: "/").last.map(String.init) } == true)
        #expect(actions.rollouts == restarted)
        #expect(actions.events(.evidenceSourceBack).count == 1)
        #expect(gauge().flatMap(Double.init) == 1)
    }
}
