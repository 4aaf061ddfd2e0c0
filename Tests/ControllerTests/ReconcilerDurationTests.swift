import Act
import Assess
@testable import Controller
import KubeModel
import Plan
import Testing

/// The reconciler keeps how long its finished restarts took, for the forecast.
@Suite struct ReconcilerDurationTests {
    @Test func aFinishedRolloutIsSampledWithTheTimeItHeldItsSlot() async throws {
        let planner = PlannerConfig(maxConcurrent: 1)
        var web = DeploymentFamily("shop", "web", ageDays: 340)
        let first = await Reconciler(caches: makeCaches([web]), configuration: ControllerConfiguration(planner: planner),
                                     actions: RecordingActions(), clock: { reconcileNow }).reconcile(isLeader: true)
        let deadline = try #require(first.assessment?.workloads.first?.deadline)

        // Patched 700 s ago by this process; the cache shows the restart state and a finished rollout.
        let startedAt = reconcileNow - 700
        web.deployment.metadata.annotations = RestartState.annotations(restartedAt: startedAt, forDeadline: deadline)
        let reconciler = Reconciler(caches: makeCaches([web]), configuration: ControllerConfiguration(planner: planner),
                                    actions: RecordingActions(), clock: { reconcileNow })
        let id = WorkloadID(kind: .deployment, namespace: "shop", name: "web")
        reconciler.startedRestarts.withLock { $0[id] = StartedRestart(startedAt: startedAt, strategy: .rollout, deadline: deadline) }
        _ = await reconciler.reconcile(isLeader: true)
        #expect(reconciler.startedRestarts.withLock { $0[id] } == nil)
        let learned = reconciler.restartDurations.withLock { $0 }
        #expect(learned.rollout.values == [700])
        #expect(learned.evictionPerPod.values.isEmpty)
        #expect(learned.rolloutEstimate(prior: planner.typicalRolloutDuration)
            == (planner.typicalRolloutDuration * RestartDurations.priorWeight + 700) / (RestartDurations.priorWeight + 1))
    }

    @Test func aRestartStillRunningIsNotSampled() async throws {
        let web = DeploymentFamily("shop", "web", ageDays: 340)
        let reconciler = Reconciler(caches: makeCaches([web]), configuration: ControllerConfiguration(planner: PlannerConfig()),
                                    actions: RecordingActions(), clock: { reconcileNow })
        _ = await reconciler.reconcile(isLeader: true)  // patches it; the cache does not show it yet
        #expect(reconciler.startedRestarts.withLock { $0.count } == 1)
        #expect(reconciler.restartDurations.withLock { $0.rollout.values.isEmpty })
    }
}
