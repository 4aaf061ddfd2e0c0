import Act
import Assess
import Controller
import KubeModel
import Plan
import Testing

/// The reconcile pass with a fixed clock, hand-filled caches and recorded actions.
@Suite struct ReconcilerTests {
    func reconciler(_ caches: ClusterCaches, _ actions: RecordingActions, mode: PolicyMode = .restart,
                    perNamespace: Int = 1, clusterWide: Int = 1) -> Reconciler {
        Reconciler(
            caches: caches,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: mode),
                planner: PlannerConfig(maxConcurrent: clusterWide, maxConcurrentPerNamespace: perNamespace)),
            actions: actions, clock: { reconcileNow })
    }

    @Test func restartsOnlyTheAtRiskWorkloadAndOnlyOnce() async {
        // 340 days old: the token expires in ~25 d, inside restart-before (30 d). 10 days old: fine.
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340), DeploymentFamily("shop", "api", ageDays: 10)])
        let actions = RecordingActions()
        let reconciler = reconciler(caches, actions)
        _ = await reconciler.reconcile(isLeader: true)
        _ = await reconciler.reconcile(isLeader: true)  // caches not updated yet: must not repeat
        #expect(actions.rollouts == ["shop/web"])
        #expect(actions.events(.tokenExpiryAtRisk).map(\.regarding.name) == ["web"])
    }

    @Test func theRestartStateInTheClusterPreventsARepeat() async {
        var web = DeploymentFamily("shop", "web", ageDays: 340)
        let first = RecordingActions()
        let outcome = await reconciler(makeCaches([web]), first).reconcile(isLeader: true)
        let deadline = outcome.assessment?.workloads.first?.deadline
        #expect(first.rollouts == ["shop/web"])

        // What Act wrote; a new controller process (no memory) sees it in the cache.
        web.deployment.metadata.annotations = RestartState.annotations(restartedAt: reconcileNow, forDeadline: deadline!)
        let second = RecordingActions()
        _ = await reconciler(makeCaches([web]), second).reconcile(isLeader: true)
        #expect(second.rollouts.isEmpty)
    }

    @Test func reportModeWritesNothingButSaysWhatItWouldDo() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340)])
        let actions = RecordingActions()
        _ = await reconciler(caches, actions, mode: .report).reconcile(isLeader: true)
        #expect(actions.rollouts.isEmpty)
        #expect(actions.events(.wouldRestart).map(\.regarding.name) == ["web"])
    }

    /// An announcement whose Event the write gate refused (the lease in doubt mid-pass) is said
    /// by the next pass that may write, not counted as said.
    @Test func anAnnouncementRefusedByTheWriteGateIsSaidByTheNextPass() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340), DeploymentFamily("shop", "cart", ageDays: 338)])
        let actions = RecordingActions()
        let reconciler = reconciler(caches, actions, mode: .report)
        actions.refusals.withLock { $0 = 1 }
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events.isEmpty, "the first refused, the pass wrote nothing after it")
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.tokenExpiryAtRisk).map(\.regarding.name).sorted() == ["cart", "web"])
        #expect(actions.events(.wouldRestart).map(\.regarding.name).sorted() == ["cart", "web"])
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events.count == 4, "each once")
    }

    @Test func theNamespaceLimitDefersTheSecondWorkload() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 345), DeploymentFamily("shop", "cart", ageDays: 340)])
        let actions = RecordingActions()
        _ = await reconciler(caches, actions, perNamespace: 1, clusterWide: 5).reconcile(isLeader: true)
        #expect(actions.rollouts == ["shop/web"])  // the earlier deadline first
        #expect(actions.events(.restartDeferred).map(\.regarding.name) == ["cart"])
    }

    @Test func followersKeepQuiet() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340)])
        let actions = RecordingActions()
        let outcome = await reconciler(caches, actions).reconcile(isLeader: false)
        #expect(actions.rollouts.isEmpty)
        #expect(actions.events.isEmpty)
        #expect(outcome.plan?.restarts.count == 1)  // it still plans, so it can take over at once
    }

    @Test func anInvalidAnnotationIsAnnouncedOnceAndFallsBack() async {
        let family = DeploymentFamily("shop", "web", ageDays: 340, annotations: ["token-warden.dev/restart-before": "thirty days"])
        let actions = RecordingActions()
        let reconciler = reconciler(makeCaches([family]), actions)
        _ = await reconciler.reconcile(isLeader: true)
        _ = await reconciler.reconcile(isLeader: true)
        let warnings = actions.events(.invalidAnnotation)
        #expect(warnings.count == 1)
        #expect(warnings.first?.type == .warning)
        #expect(warnings.first?.message.contains("restart-before") == true)
        #expect(actions.rollouts == ["shop/web"])  // the default 30d applied
    }

    @Test func unsyncedCachesDoNothing() async {
        let caches = ClusterCaches(signal: ChangeSignal())
        let actions = RecordingActions()
        let outcome = await reconciler(caches, actions).reconcile(isLeader: true)
        #expect(outcome.assessment == nil)
        #expect(outcome.requeueAt == reconcileNow + 1)
    }
}
