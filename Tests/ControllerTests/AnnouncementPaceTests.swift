import Act
import Assess
import Controller
import KubeModel
import Plan
import Synchronization
import Testing

/// Announcements (the Events a pass derives from what it sees) are paced cluster-wide: a burst,
/// then a rate; what is held back is announced by later passes, once, most urgent first.
@Suite struct AnnouncementPaceTests {
    /// Twelve at-risk Deployments, one restart at a time: 12 TokenExpiryAtRisk + 11 RestartDeferred.
    static func families() -> [DeploymentFamily] {
        (0..<12).map { DeploymentFamily("ns\($0)", "app\($0)", ageDays: 340 + Int64($0)) }
    }

    final class Clock: Sendable {
        private let now = Mutex(reconcileNow)
        var time: Timestamp { now.withLock { $0 } }
        func advance(_ seconds: Int64) { now.withLock { $0 = $0 + seconds } }
    }

    static func reconciler(_ actions: RecordingActions, clock: Clock, burst: Int, perSecond: Double) -> Reconciler {
        let clockRead: @Sendable () -> Timestamp = { clock.time }
        return Reconciler(
            caches: makeCaches(families()),
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: .restart),
                planner: PlannerConfig(maxConcurrent: 1, maxConcurrentPerNamespace: 1),
                announcementBurst: burst, announcementsPerSecond: perSecond),
            actions: actions, clock: clockRead)
    }

    static func summary(_ events: [WardenEvent]) -> [String] {
        events.map { "\($0.reason.rawValue) \($0.regarding.name)" }
    }

    @Test func aBurstThenTheRateAndNothingLostOrRepeated() async {
        let unpacedActions = RecordingActions()
        let unpacedClock = Clock()
        _ = await Self.reconciler(unpacedActions, clock: unpacedClock, burst: 1_000, perSecond: 100).reconcile(isLeader: true)
        let everything = Self.summary(unpacedActions.events)
        #expect(everything.count == 23)

        let actions = RecordingActions()
        let clock = Clock()
        let reconciler = Self.reconciler(actions, clock: clock, burst: 5, perSecond: 1)
        var outcome = await reconciler.reconcile(isLeader: true)
        #expect(actions.events.count == 5)
        #expect(actions.rollouts == ["ns11/app11"], "restarts are not paced")
        // The most urgent first: the oldest tokens' workloads.
        #expect(Self.summary(actions.events) == Array(everything.prefix(5)))
        var passes = 1
        while actions.events.count < everything.count, passes < 50 {
            #expect(outcome.requeueAt <= clock.time + 3, "held-back announcements bring the next pass forward")
            let before = actions.events.count
            clock.advance(3)
            outcome = await reconciler.reconcile(isLeader: true)
            passes += 1
            #expect(actions.events.count - before <= 3, "3 s at 1 per second")
        }
        #expect(Set(Self.summary(actions.events)) == Set(everything))
        #expect(actions.events.count == everything.count, "each announced once")
        let after = actions.events.count
        clock.advance(600)
        _ = await reconciler.reconcile(isLeader: true)
        #expect(actions.events.count == after, "nothing announced twice once the pace allows it")
    }
}
