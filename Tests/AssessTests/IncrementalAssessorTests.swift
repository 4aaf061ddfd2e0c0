import KubeModel
import Plan
import Testing
@testable import Assess

/// The incremental pass against the full one, its oracle: on randomized populations and change
/// sequences (pods added, deleted, restarted and adopted, owners changed and removed, rollouts,
/// the controller's restart records on workloads that roll or not, namespace policy, evidence,
/// the clock across thresholds, other defaults) both give the same assessment, tally and plan
/// after every step, and so does the plan of the watchlist that follows the incremental state
/// (the default planner, and one whose short horizon and long max-lead bring waiting workloads
/// into view as the clock moves).
@Suite struct IncrementalAssessorTests {
    static let seeds: [UInt64] = Array(1...8)
    static let steps = 120
    static let planners = [Planner(), Planner(config: PlannerConfig(forecastHorizon: 2 * 86_400))]

    /// Steps at which the incremental pass differed from the full one. `skipping`: the pass skips
    /// one changed workload; `watchlistLags`: every tenth pass is not taken in by the watchlists.
    func mismatches(seed: UInt64, skipping: Bool, watchlistLags: Bool = false) -> [String] {
        var world = IncrementalWorld(seed: seed)
        var state = AssessmentState()
        var watchlists = Self.planners.map { PlanningWatchlist(config: $0.config) }
        var found: [String] = []
        for step in 0..<Self.steps {
            if step > 0 { world.step() }
            let snapshot = world.snapshot
            var incremental = IncrementalAssessor(defaults: world.defaults)
            incremental.skipsOneChangedWorkload = skipping
            let assessed = incremental.assess(SnapshotLookup(snapshot), changes: world.changes, state: &state, now: world.now,
                                              evidence: world.evidence)
            world.changes = ClusterChanges()
            let oracle = Assessor(defaults: world.defaults).assess(snapshot, now: world.now, evidence: world.evidence)
            let planner = Planner()
            if !watchlistLags || step % 10 != 5 {
                for index in watchlists.indices { watchlists[index].follow(state) }
            }
            let watched = zip(Self.planners, watchlists.indices).filter { planner, index in
                planner.plan(watchlists[index].view(at: world.now), now: world.now) != planner.plan(oracle, now: world.now)
            }
            if assessed != oracle {
                let differing = zip(assessed.workloads, oracle.workloads).first { $0 != $1 }.map { "\($0.0.id) vs \($0.1.id)" } ?? "count"
                found.append("seed \(seed) step \(step): assessments differ (\(assessed.workloads.count) vs \(oracle.workloads.count) workloads; \(differing))")
            } else if state.tally != AssessmentTally(oracle) {
                found.append("seed \(seed) step \(step): the tally kept step by step differs from the oracle's")
            } else if planner.plan(assessed, now: world.now) != planner.plan(oracle, now: world.now) {
                found.append("seed \(seed) step \(step): plans differ")
            } else if let (planner, _) = watched.first {
                found.append("seed \(seed) step \(step): the watchlist's plan differs (forecast horizon \(planner.config.forecastHorizon) s)")
            }
        }
        return found
    }

    @Test(arguments: seeds) func incrementalEqualsFull(seed: UInt64) {
        let found = mismatches(seed: seed, skipping: false)
        let count = found.count
        #expect(count == 0, "\(found.prefix(3))")
    }

    /// The property test's own test: a pass that skips one changed workload must be caught.
    @Test func skippingOneChangedWorkloadIsCaught() {
        let caught = Self.seeds.prefix(3).map { mismatches(seed: $0, skipping: true).count }
        #expect(caught.allSatisfy { $0 > 0 }, "mismatches per seed: \(caught)")
    }

    /// The same for the watchlist: one that misses passes must be caught.
    @Test func aWatchlistThatMissesPassesIsCaught() {
        let caught = Self.seeds.prefix(3).map { mismatches(seed: $0, skipping: false, watchlistLags: true).count }
        #expect(caught.allSatisfy { $0 > 0 }, "mismatches per seed: \(caught)")
    }

    /// Most passes re-assess a handful of workloads, not the population.
    @Test func aPodChangeReassessesOnlyItsWorkload() {
        var world = IncrementalWorld(seed: 99)
        var state = AssessmentState()
        _ = IncrementalAssessor().assess(SnapshotLookup(world.snapshot), changes: world.changes, state: &state, now: world.now)
        let total = state.workloadCount
        #expect(state.lastReassessed == total && total > 20)
        world.changes = ClusterChanges()
        world.addPod()
        _ = IncrementalAssessor().assess(SnapshotLookup(world.snapshot), changes: world.changes, state: &state, now: world.now)
        #expect(state.lastReassessed == 1)
        _ = IncrementalAssessor().assess(SnapshotLookup(world.snapshot), changes: ClusterChanges(), state: &state, now: world.now + 1)
        #expect(state.lastReassessed == 0)
    }

    /// A pod whose readiness alone changed is not assessed again: its workload's assessment
    /// takes the new record, and equals a full assessment. A ReplicaSet's status change
    /// re-assesses nothing (it stands between a Deployment and its pods); a Deployment's gives
    /// the Deployment its new rollout status.
    @Test func readinessAndReplicaSetStatusChangesAreNotAssessedAgain() throws {
        var world = IncrementalWorld(seed: 7)
        var state = AssessmentState()
        let now = world.now
        _ = IncrementalAssessor().assess(SnapshotLookup(world.snapshot), changes: world.changes, state: &state, now: now)
        /// Makes one change, runs a pass, and holds it to no workload assessed again and to a full assessment.
        func pass(_ change: (inout IncrementalWorld) -> Void) -> Assessment {
            world.changes = ClusterChanges()
            change(&world)
            let assessed = IncrementalAssessor().assess(SnapshotLookup(world.snapshot), changes: world.changes, state: &state, now: now)
            #expect(state.lastReassessed == 0)
            #expect(assessed == Assessor().assess(world.snapshot, now: now))
            return assessed
        }

        let key = try #require(world.pods.keys.sorted().first { world.pods[$0]?.metadata.ownerReferences?.first?.kind == "ReplicaSet" })
        var pod = try #require(world.pods[key])
        pod.status?.conditions = [PodCondition(type: "Ready", status: "False")]
        let patched = pass { $0.setPod(key, pod) }
        #expect(patched.workloads.flatMap(\.pods).contains { $0.name == pod.metadata.name && !$0.ready })

        var rs = try #require(world.replicaSets.values.first { $0.metadata.controllerOwner?.kind == "Deployment" })
        rs.status = ReplicaStatus(replicas: 3, readyReplicas: 1, availableReplicas: 1)
        _ = pass { $0.setObject(rs, in: \.replicaSets) }
        #expect(world.changes.objectStatuses.count == 1)

        let before = try #require(state.assessment.workloads.first { $0.id.kind == .deployment && $0.objectKnown })
        var deployment = try #require(world.deployments[before.id.name])
        deployment.status = Deployment.Status(replicas: 3, updatedReplicas: 1, availableReplicas: 1)
        _ = pass { $0.setObject(deployment, in: \.deployments) }
        #expect(world.changes.objectStatuses.count == 1)
        #expect(state.workload(before.id)?.rollout != before.rollout)
    }
}
