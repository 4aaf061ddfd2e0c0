import Controller
import Foundation
import KubeSim

/// One scenario in progress: the loaded cluster, the replicas started against it, and the
/// measurements that make its table row. Used from one task.
public final class ScenarioRun {
    public let name: String
    public let faults: String
    public let harness: ReliabilityHarness
    public let options: ReliabilityHarness.RuntimeOptions
    /// Workloads the controller must restart exactly once.
    public var expected: Set<String>
    /// Workloads whose RestartCompleted Event ends the wait (default: `expected`).
    public var awaited: Set<String>
    public var failures: [String] = []
    /// Extra limit breaches a scenario detected (PDB, window).
    public var breaches = 0
    /// Workloads left out of the concurrency measurement (deleted or scaled away mid-rollout: the
    /// simulated cluster never closes their rollout record).
    public var unmeasured: Set<String> = []
    private(set) var replicas: [ControllerReplica] = []
    private var faultAt = ContinuousClock.now

    public init(name: String, faults: String, load: LoadProfile, options: ReliabilityHarness.RuntimeOptions = .init(),
                serverClockSkewSeconds: Int = 0, healthyAnnotations: @Sendable (Int) -> [String: String] = { _ in [:] },
                extra: (inout ScenarioBuilder) -> Void = { _ in }) throws {
        self.name = name
        self.faults = faults
        self.options = options
        // Ages are seeded on the server's clock, which may be skewed from this host's.
        let serverNow = Int64(Date().timeIntervalSince1970) + Int64(serverClockSkewSeconds)
        let objects = load.objects(now: serverNow, healthyAnnotations: healthyAnnotations, extra: extra)
        harness = try ReliabilityHarness(load: load, objects: objects)
        harness.sim.faults.clockSkewSeconds = serverClockSkewSeconds
        expected = load.expected
        awaited = load.expected
        harness.startChurn()
    }

    @discardableResult
    public func start(_ options: ReliabilityHarness.RuntimeOptions? = nil) throws -> ControllerReplica {
        let replica = try harness.start(options ?? self.options)
        replicas.append(replica)
        return replica
    }

    /// Marks the moment the fault was injected (recovery time counts from here).
    public func faultInjected() { faultAt = .now }

    /// Waits for the controller's first restart patch (the "mid-rollout" moment).
    public func waitForFirstRestart() async -> Bool {
        let seen = await harness.wait(seconds: harness.load.deadlineSeconds) { !harness.restartPatches().isEmpty }
        if !seen { failures.append("no restart started") }
        return seen
    }

    public func check(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if !condition { failures.append(failure()) }
    }

    /// Waits for every awaited restart to complete and the caches to converge, stops everything
    /// and measures. `observer` is the replica whose caches must match the server.
    public func finish(observer: ControllerReplica? = nil) async -> ScenarioRow {
        let load = harness.load
        let done = await harness.wait(seconds: load.deadlineSeconds) { harness.finished(awaited) }
        if !done {
            let missing = awaited.subtracting(harness.events("RestartCompleted")).sorted()
            failures.append("not completed within \(Int(load.deadlineSeconds)) s: \(missing.joined(separator: ", "))")
            for workload in missing { failures.append("\(workload) Events: \(harness.eventTrail(workload))") }
            failures.append("requests: \(harness.requestSummary())")
        }
        do { try await Task.sleep(for: .seconds(1)) } catch {}  // more reconciles: a duplicate would show now
        harness.stopChurn()
        harness.sim.faults.clear()  // convergence is judged once the faults are over
        var converged = true
        if let watcher = observer ?? replicas.last(where: { !$0.crashed }) {
            converged = await harness.wait(seconds: 20) { harness.cachesConverged(watcher.runtime) }
        }
        let recovery = Double((ContinuousClock.now - faultAt).components.seconds)
            + Double((ContinuousClock.now - faultAt).components.attoseconds) / 1e18
        let crashes = replicas.filter(\.crashed)
        for replica in crashes { failures.append("replica \(replica.runtime.identity) ended: \(replica.crashReason ?? "returned")") }
        for replica in replicas {
            let stopped = await replica.stop()
            if !stopped {
                failures.append("replica \(replica.runtime.identity) did not stop within 60 s (\(replica.stuckIn))")
            }
        }
        let patches = harness.restartPatches()
        let unique = Set(patches)
        let overlap = harness.overlap(of: expected.subtracting(unmeasured))
        var limitBreaches = breaches
        if overlap.cluster > options.maxConcurrent {
            limitBreaches += 1
            failures.append("\(overlap.cluster) rollouts at once (limit \(options.maxConcurrent))")
        }
        if overlap.namespace > options.perNamespace {
            limitBreaches += 1
            failures.append("\(overlap.namespace) rollouts at once in one namespace (limit \(options.perNamespace))")
        }
        let outsideRBAC = harness.requestsOutsideRBAC()
        if !outsideRBAC.isEmpty { failures.append("requests outside deploy/base/rbac.yaml: \(outsideRBAC.joined(separator: ", "))") }
        let unexpected = unique.subtracting(expected)
        if !unexpected.isEmpty { failures.append("unexpected restarts: \(unexpected.sorted().joined(separator: ", "))") }
        let row = ScenarioRow(
            scenario: name, load: load.summary, faults: faults, restartsMade: unique.intersection(expected).count,
            restartsExpected: expected.count, duplicates: patches.count - unique.count, unexpected: unexpected.count,
            breaches: limitBreaches, crashes: crashes.count, converged: converged, recoverySeconds: recovery, failures: failures)
        harness.stop()
        return row
    }
}

extension ScenarioRun {
    /// The run's options for a replica that takes part in leader election as `identity`.
    func leaderOptions(identity: String) -> ReliabilityHarness.RuntimeOptions {
        var options = self.options
        options.leaderElection = true
        options.identity = identity
        return options
    }

    /// The writes (any verb but get, list and watch; the Lease's own renewals aside) the simulator
    /// logs over the next `seconds`: what a replica that may no longer write still sent.
    func writes(overSeconds seconds: Int) async -> Int {
        let logged = harness.sim.requestLog.all.count
        do { try await Task.sleep(for: .seconds(seconds)) } catch {}
        return harness.sim.requestLog.all.dropFirst(logged)
            .filter { !["get", "list", "watch"].contains($0.verb) && $0.resource != "leases" }.count
    }
}
