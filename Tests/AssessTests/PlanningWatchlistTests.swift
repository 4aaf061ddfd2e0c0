import Assess
import KubeModel
import Plan
import Testing

/// Which healthy workloads the watchlist keeps in view: rolling counts only after a restart of
/// the controller's (it holds a slot while it rolls), not for anyone else's rollout or flapping pods.
@Suite struct PlanningWatchlistTests {
    let now = t("2026-11-23T19:00:00Z")

    func inView(progressing: Bool, annotations: [String: String]?) -> [String] {
        var cluster = Cluster()
        cluster.deployment("web", start: "2026-06-01T00:00:00Z", annotations: annotations, progressing: progressing)
        var state = AssessmentState()
        _ = IncrementalAssessor(defaults: PolicyDefaults())
            .assess(SnapshotLookup(cluster.snapshot), changes: ClusterChanges(everything: true), state: &state, now: now, evidence: [:])
        var watchlist = PlanningWatchlist(config: PlannerConfig())
        watchlist.follow(state)
        return watchlist.view(at: now).workloads.map(\.id.name)
    }

    @Test func aHealthyWorkloadRolledBySomeoneElseIsOutOfView() {
        #expect(inView(progressing: true, annotations: nil) == [])
        #expect(inView(progressing: false, annotations: nil) == [])
    }

    @Test func aWorkloadRollingAfterTheControllersRestartIsInView() {
        let restarted = now - 120
        let recorded = [PolicyAnnotation.restartedAt: restarted.rfc3339, PolicyAnnotation.restartCompletedAt: (restarted + 60).rfc3339]
        #expect(inView(progressing: true, annotations: recorded) == ["web"])
        // Complete and recorded so: nothing left to plan or announce.
        #expect(inView(progressing: false, annotations: recorded) == [])
        // Not yet recorded as complete: its completion is still to be announced.
        #expect(inView(progressing: false, annotations: [PolicyAnnotation.restartedAt: restarted.rfc3339]) == ["web"])
    }
}
