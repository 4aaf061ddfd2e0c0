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

    /// Evidence of pods that are gone, and evidence not seen within the retention, is forgotten
    /// (every 5 minutes, whether or not the pass leads).
    @Test func evidenceOfPodsThatAreGoneIsForgotten() async throws {
        let web = DeploymentFamily("shop", "web", replicas: 1, ageDays: 100)
        let pod = try #require(web.pods.first)
        let store = StaleTokenEvidenceStore(retentionSeconds: 86_400)
        func seen(_ name: String, _ uid: String) -> StaleTokenObservation {
            StaleTokenObservation(namespace: "shop", serviceAccount: "default", podName: name, podUID: uid, secondsAfterWarning: 60,
                                  time: reconcileNow)
        }
        store.record([seen(pod.metadata.name, pod.metadata.uid ?? ""), seen("web-gone", "uid-gone"), seen(pod.metadata.name, "uid-old")],
                     receivedAt: reconcileNow)
        #expect(store.confirmedPodUIDs.count == 3)
        let now = Mutex(reconcileNow)
        let reconciler = Reconciler(caches: makeCaches([web]), configuration: ControllerConfiguration(), actions: RecordingActions(),
                                    evidence: store, clock: { now.withLock { $0 } })
        _ = await reconciler.reconcile(isLeader: false)
        #expect(store.confirmedPodUIDs == [pod.metadata.uid ?? ""], "the pod that is gone and the name's earlier pod are forgotten")
        now.withLock { $0 = reconcileNow + 86_400 + 60 }
        _ = await reconciler.reconcile(isLeader: false)
        #expect(store.confirmedPodUIDs.isEmpty, "not seen within the retention")
    }

    /// Only a leader writes Events: a silence a follower saw is said once it leads, and one that
    /// ended before then is not said at all.
    @Test func aFollowerSaysTheSilenceItSawOnceItLeads() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340)])
        let actions = RecordingActions()
        let now = Mutex(reconcileNow + 31 * 60)
        let batches = AuditBatchClock(startedAt: reconcileNow)
        var configuration = ControllerConfiguration(
            defaults: PolicyDefaults(restartOn: .evidence), planner: PlannerConfig(maxConcurrent: 1, maxConcurrentPerNamespace: 1))
        configuration.evidenceMaxSilenceSeconds = 1800
        configuration.ownPod = ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-2")
        let reconciler = Reconciler(caches: caches, configuration: configuration, actions: actions, batchClock: batches,
                                    clock: { now.withLock { $0 } })

        _ = await reconciler.reconcile(isLeader: false)
        _ = await reconciler.reconcile(isLeader: false)
        #expect(actions.events(.evidenceSourceSilent).isEmpty, "a follower writes no Event")
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.evidenceSourceSilent).map(\.regarding.name) == ["token-warden-2"])
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.evidenceSourceSilent).count == 1, "said once")

        // Batches again while it follows, silent again and back before it leads: only the last change is said.
        batches.noteBatch(at: reconcileNow + 32 * 60)
        now.withLock { $0 = reconcileNow + 33 * 60 }
        _ = await reconciler.reconcile(isLeader: false)
        #expect(actions.events(.evidenceSourceBack).isEmpty)
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.evidenceSourceBack).count == 1)
        now.withLock { $0 = reconcileNow + 70 * 60 }
        _ = await reconciler.reconcile(isLeader: false)
        batches.noteBatch(at: reconcileNow + 70 * 60)
        _ = await reconciler.reconcile(isLeader: false)
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.evidenceSourceSilent).count == 1, "a silence that ended before it led is not said")
        #expect(actions.events(.evidenceSourceBack).count == 1)
    }

    /// The API server's connection may stick to another replica: the batch time it notes on its
    /// pod keeps this one in evidence mode; this replica notes its own at most once a minute.
    @Test func aBatchAnotherReplicaReceivedKeepsTheSourceLive() async {
        var sibling = DeploymentFamily("token-warden", "token-warden", replicas: 1, ageDays: 1)
        sibling.pods[0].metadata.annotations = [PolicyAnnotation.auditBatchAt: (reconcileNow + 30 * 60).rfc3339]
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340), sibling])
        let actions = RecordingActions()
        let now = Mutex(reconcileNow + 40 * 60)
        let batches = AuditBatchClock(startedAt: reconcileNow)  // this replica receives none at first
        let shared = Mutex<[Timestamp]>([])
        var configuration = ControllerConfiguration(
            defaults: PolicyDefaults(restartOn: .evidence), planner: PlannerConfig(maxConcurrent: 1, maxConcurrentPerNamespace: 1))
        configuration.ownPod = ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-1")
        let reconciler = Reconciler(
            caches: caches, configuration: configuration, actions: actions, batchClock: batches,
            shareBatchTime: { at in shared.withLock { $0.append(at) }; return true }, clock: { now.withLock { $0 } })

        var outcome = await reconciler.reconcile(isLeader: true)
        #expect(outcome.assessment?.workload(WorkloadID(kind: .deployment, namespace: "shop", name: "web"))?.classification == .unconfirmed)
        #expect(actions.rollouts.isEmpty && actions.events(.evidenceSourceSilent).isEmpty)

        now.withLock { $0 = reconcileNow + 61 * 60 }  // the sibling's batch is 31 minutes old
        outcome = await reconciler.reconcile(isLeader: true)
        #expect(actions.rollouts == ["shop/web"])
        #expect(shared.withLock { $0 }.isEmpty, "nothing received here, nothing to share")

        batches.noteBatch(at: reconcileNow + 61 * 60)
        _ = await reconciler.reconcile(isLeader: true)
        now.withLock { $0 = reconcileNow + 61 * 60 + 30 }
        batches.noteBatch(at: reconcileNow + 61 * 60 + 30)
        _ = await reconciler.reconcile(isLeader: true)
        #expect(shared.withLock { $0 } == [reconcileNow + 61 * 60], "at most once a minute")
    }
}
