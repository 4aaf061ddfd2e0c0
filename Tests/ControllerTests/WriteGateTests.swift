import Act
import APIClient
import Assess
@testable import Controller
import Foundation
import KubeModel
import Plan
import Synchronization
import Testing

/// Fencing at the client: every write of the leader is asked of its gate just before it is
/// sent, so a lease lost in the middle of a step — where the pass's own check cannot see it —
/// still stops the very next request. Counted in the simulator's request log.
@Suite struct WriteGateTests {
    /// A lease that is lost after `admitted` writes have gone out; `refused` counts what it stopped.
    final class Lease: Sendable {
        private let state: Mutex<(left: Int, refused: Int)>
        init(writes: Int) { state = Mutex((writes, 0)) }

        func admit() -> Bool {
            state.withLock { s in
                guard s.left > 0 else {
                    s.refused += 1
                    return false
                }
                s.left -= 1
                return true
            }
        }

        func renew(writes: Int) { state.withLock { $0.left = writes } }
        var refused: Int { state.withLock { $0.refused } }
        var gate: WriteGate { WriteGate(refusal: "the lease is not valid with margin (renew deadline)") { [self] in admit() } }
    }

    @Test func aRefusedWriteIsNeverSentAndReadsStillGo() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        try sim.load(ActFixtures.deployment("web", uid: "uid-web"))
        let lease = Lease(writes: 0)
        let client = ActFixtures.client(sim).gated(by: lease.gate)
        sim.clearRequests()
        await #expect(throws: WriteFenced.self) {
            try await client.patch(.deployments, namespace: "shop", name: "web", type: .merge, body: Array(#"{"metadata":{"labels":{"x":"y"}}}"#.utf8))
        }
        await #expect(throws: WriteFenced.self) { try await client.delete(.deployments, namespace: "shop", name: "web") }
        _ = try await client.get(Deployment.self, namespace: "shop", name: "web")
        #expect(sim.requests.filter(\.isWrite).isEmpty, "\(sim.requests)")
        #expect(sim.requests.count == 1)
        #expect(lease.refused == 2)
    }

    /// A pass with several writes (Events, then one rollout patch per workload): the lease is
    /// lost after the fourth write went out, while the pass still believes it may write. The
    /// fifth is not sent, the pass stops there, the refusal is not counted as the workload's
    /// failure; once the lease is back, the next pass finishes without repeating a restart.
    @Test func aLeaseLostBetweenTwoWritesOfAPassStopsTheNextOne() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let families = (0..<3).map { DeploymentFamily("shop", "web-\($0)", replicas: 1, ageDays: 340 - Int64($0)) }
        for family in families {
            try sim.load(ActFixtures.deployment(family.deployment.metadata.name, uid: family.deployment.metadata.uid ?? ""))
        }
        let lease = Lease(writes: 4)
        let client = ActFixtures.client(sim).gated(by: lease.gate)
        let events = EventRecorder(client: client, instance: "token-warden-0", logger: ActFixtures.logger)
        let executor = RestartExecutor(client: client, logger: ActFixtures.logger, dryRun: false) { await events.emit(PassEffects.event(for: $0)) }
        var configuration = ControllerConfiguration()
        configuration.planner.maxConcurrent = 3
        configuration.planner.maxConcurrentPerNamespace = 3
        let reconciler = Reconciler(
            caches: makeCaches(families), configuration: configuration, actions: ClusterWorkloadActions(executor: executor, events: events),
            clock: { reconcileNow }, logger: ActFixtures.logger, mayWrite: { true })  // the pass's own view: still leading
        sim.clearRequests()

        let outcome = await reconciler.reconcile(isLeader: true)
        #expect(outcome.plan?.restarts.count == 3)
        let sent = sim.requests.filter(\.isWrite)
        #expect(sent.count == 4, "\(sent)")
        let patched = sent.filter { $0.resource == "deployments" }.map(\.name)
        #expect(patched.count == 1, "\(sent)")
        // Refused: the one Event after that patch and the next patch; the pass stopped there.
        #expect(lease.refused == 2)

        // The lease is renewed: the two others are restarted now (no backoff), the first not again.
        lease.renew(writes: 100)
        sim.clearRequests()
        _ = await reconciler.reconcile(isLeader: true)
        let later = sim.requests.filter { $0.isWrite && $0.resource == "deployments" && $0.verb == "patch" }.map(\.name)
        #expect(Set(later) == Set(families.map(\.deployment.metadata.name)).subtracting(patched), "\(later)")
    }

    /// The elector as the gate: a leader whose renew deadline has passed refuses the write and
    /// steps down at once, not at its next round.
    @Test func aLeaderAskedForAWriteAfterItsRenewDeadlineStepsDownAtOnce() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("token-warden"))
        let clock = TestClock(Date())
        let config = LeaderElectionConfig(namespace: "token-warden", name: "token-warden", identity: "a", leaseDuration: 30,
                                          renewDeadline: 20, retryPeriod: 10)
        let elector = LeaderElector(client: ActFixtures.client(sim), config: config, logger: ActFixtures.logger, clock: clock.read)
        let leading = Mutex<[Bool]>([])
        let task = Task { await elector.run { value in leading.withLock { $0.append(value) } } }
        defer { task.cancel() }
        let start = ContinuousClock.now
        while !elector.isLeader, ContinuousClock.now - start < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(elector.admitsWrite())
        clock.advance(21)  // the next renewal is 10 s away in real time
        #expect(!elector.admitsWrite())
        #expect(!elector.isLeader)
        #expect(leading.withLock { $0 } == [true, false])
    }
}
