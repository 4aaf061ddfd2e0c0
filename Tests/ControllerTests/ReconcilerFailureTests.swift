import Act
import Assess
import Controller
import KubeModel
import Plan
import Testing

/// The reconcile pass under failure, with a fixed clock and recorded actions: fencing, and
/// completions recorded in the cluster.
@Suite struct ReconcilerFailureTests {
    func reconciler(_ caches: ClusterCaches, _ actions: RecordingActions, mayWrite: @escaping @Sendable () -> Bool = { true }) -> Reconciler {
        Reconciler(caches: caches, configuration: ControllerConfiguration(), actions: actions, clock: { reconcileNow }, mayWrite: mayWrite)
    }

    @Test func aLeaderWhoseLeaseIsInDoubtWritesNothing() async {
        let caches = makeCaches([DeploymentFamily("shop", "web", ageDays: 340)])
        let actions = RecordingActions()
        let outcome = await reconciler(caches, actions, mayWrite: { false }).reconcile(isLeader: true)
        #expect(outcome.plan?.decisions.first?.action == .restart(.rollout, resume: false))  // it still plans
        #expect(actions.rollouts.isEmpty)
        #expect(actions.events.isEmpty)
    }

    @Test func aFinishedRestartIsAnnouncedCountedAndRecordedOnce() async {
        // Pods started after the restart: the workload is fine again.
        var web = DeploymentFamily("shop", "web", ageDays: 0)
        web.deployment.metadata.annotations = RestartState.annotations(restartedAt: reconcileNow - 3600, forDeadline: reconcileNow + 20 * oneDay)
        let actions = RecordingActions()
        let reconciler = reconciler(makeCaches([web]), actions)
        _ = await reconciler.reconcile(isLeader: true)
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events(.restartCompleted).map(\.regarding.name) == ["web"])
        #expect(actions.recordedCompletions == ["shop/web"])
    }

    @Test func aRecordedCompletionIsNotAnnouncedByANewProcess() async {
        var web = DeploymentFamily("shop", "web", ageDays: 0)
        var annotations = RestartState.annotations(restartedAt: reconcileNow - 3600, forDeadline: reconcileNow + 20 * oneDay)
        annotations[PolicyAnnotation.restartCompletedAt] = (reconcileNow - 3600 + 120).rfc3339
        web.deployment.metadata.annotations = annotations
        let actions = RecordingActions()
        _ = await reconciler(makeCaches([web]), actions).reconcile(isLeader: true)
        #expect(actions.events(.restartCompleted).isEmpty)
        #expect(actions.recordedCompletions.isEmpty)
    }
}
