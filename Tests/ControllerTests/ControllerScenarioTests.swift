import Assess
import Controller
import Foundation
import KubeSim
import Synchronization
import Testing

/// Issue scenarios against the simulated cluster: the real controller restarting real (simulated)
/// workloads, checked through what the API server saw.
@Suite(.serialized) struct ControllerScenarioTests {
    @Test func limitsAndDeadlineOrderAreKept() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("a")
            s.namespace("b")
            s.deployment("a", "first", replicas: 2, ageDays: 364)
            s.deployment("b", "second", replicas: 2, ageDays: 360)
            s.deployment("a", "third", replicas: 2, ageDays: 350)
            s.deployment("b", "fourth", replicas: 2, ageDays: 340)
            s.deployment("a", "fine", replicas: 1, ageDays: 5)
        }
        defer { harness.stop() }
        let replica = try harness.start(try harness.runtime(maxConcurrent: 2, perNamespace: 1))
        let all: Set<String> = ["a/first", "b/second", "a/third", "b/fourth"]
        let done = try await harness.wait(seconds: 90) { harness.completed(all) }
        await replica.stop()
        #expect(done)
        #expect(Set(harness.restartPatches()) == all)
        #expect(harness.restartPatches().count == 4)  // one restart each
        #expect(harness.cluster.recorder.maxConcurrent <= 2)
        #expect(harness.cluster.recorder.maxConcurrentInAnyNamespace <= 1)
        // Earliest deadline first within each namespace.
        let order = harness.restartPatches()
        func position(_ workload: String) -> Int { order.firstIndex(of: workload) ?? Int.max }
        #expect(position("a/first") < position("a/third"))
        #expect(position("b/second") < position("b/fourth"))
        #expect(!harness.restartPatches().contains("a/fine"))
    }

    @Test func aClosedWindowDefersAndEvictionKeepsThePDB() async throws {
        let closed = "Mon-Sun \(String(format: "%02d", (Calendar.current.component(.hour, from: Date()) + 12) % 24)):00-\(String(format: "%02d", (Calendar.current.component(.hour, from: Date()) + 13) % 24)):00 UTC"
        let harness = try ScenarioHarness { s in
            s.namespace("night", annotations: ["token-warden.dev/maintenance-window": closed])
            s.deployment("night", "batch", replicas: 1, ageDays: 350)
            s.namespace("legacy")
            s.replicationController("legacy", "billing", replicas: 3, ageDays: 370)
            s.podDisruptionBudget("legacy", "billing", app: "billing", minAvailable: 2, currentHealthy: 3)
            s.namespace("tools")
            s.barePod("tools", "shell", ageDays: 355)
        }
        defer { harness.stop() }
        // Ready pods of the RC, sampled on every pod change: never below the PDB's minAvailable.
        let lowest = Atomic<Int>(3)
        let watcher = harness.sim.store.subscribe([ResourceCatalog.pods], name: "pdb-check") { _ in
            let ready = harness.sim.store.objects(ResourceCatalog.pods, namespace: "legacy").filter { pod in
                pod.value.value(at: ["status", "phase"])?.stringValue == "Running" && pod.deletionPending == false
                    && (pod.value.value(at: ["status", "conditions"])?.arrayValue ?? []).contains {
                        $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
                    }
            }.count
            _ = lowest.min(ready, ordering: .relaxed)
        }
        defer { watcher.cancel() }
        let replica = try harness.start(try harness.runtime())
        let done = try await harness.wait(seconds: 90) {
            harness.completed(["legacy/billing"]) && harness.events("RestartDeferred").contains("night/batch")
                && harness.events("WarnOnly").contains("tools/shell")
        }
        await replica.stop()
        #expect(done)
        #expect(harness.evictions().count == 3)
        #expect(lowest.load(ordering: .relaxed) >= 2)
        #expect(!harness.restartPatches().contains("night/batch"))
        let deletes = harness.sim.requestLog.all.filter { $0.verb == "delete" && $0.resource == "pods" }
        #expect(deletes.isEmpty)  // the bare pod is only warned about
    }

    @Test func pausedDeploymentAndOnDeleteStatefulSetAreEvicted() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("p")
            s.deployment("p", "frozen", replicas: 2, ageDays: 350, paused: true)
            s.namespace("s")
            s.statefulSet("s", "db", replicas: 2, ageDays: 350, onDelete: true)
        }
        defer { harness.stop() }
        let replica = try harness.start(try harness.runtime())
        let done = try await harness.wait(seconds: 90) { harness.completed(["p/frozen", "s/db"]) }
        await replica.stop()
        #expect(done)
        #expect(harness.evictions().filter { $0.hasPrefix("p/") }.count == 2)
        #expect(harness.evictions().filter { $0.hasPrefix("s/") }.count == 2)
        // No template change (it would not roll them); only the restart state on the metadata.
        let frozen = harness.sim.store.get(ResourceCatalog.deployments, namespace: "p", name: "frozen")?.value
        let db = harness.sim.store.get(ResourceCatalog.statefulSets, namespace: "s", name: "db")?.value
        #expect(frozen?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]) == nil)
        #expect(db?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]) == nil)
        #expect(frozen?.value(at: ["metadata", "annotations", "token-warden.dev/restart-for-deadline"]) != nil)
    }

    @Test func aControllerKilledMidRolloutDoesNotRestartTwice() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("shop")
            s.deployment("shop", "web", replicas: 3, ageDays: 350)
        }
        defer { harness.stop() }
        let first = try harness.start(try harness.runtime(identity: "first"))
        #expect(try await harness.wait { harness.restartPatches().count == 1 })
        await first.stop(gracefully: false)  // killed: nothing in memory survives
        let second = try harness.start(try harness.runtime(identity: "second"))
        let done = try await harness.wait(seconds: 90) { harness.completed(["shop/web"]) }
        try await Task.sleep(for: .seconds(1))  // a few more reconciles
        await second.stop()
        #expect(done)
        #expect(harness.restartPatches() == ["shop/web"])
    }

    @Test func twoReplicasElectOneLeaderAndFailOver() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("a")
            s.namespace("b")
            s.deployment("a", "one", replicas: 2, ageDays: 355)
            s.deployment("b", "two", replicas: 2, ageDays: 350)
        }
        defer { harness.stop() }
        let left = try harness.start(try harness.runtime(identity: "left", maxConcurrent: 1, leaderElection: true))
        let right = try harness.start(try harness.runtime(identity: "right", maxConcurrent: 1, leaderElection: true))
        #expect(try await harness.wait { left.runtime.isLeader != right.runtime.isLeader })
        #expect(try await harness.wait { harness.restartPatches().count == 1 })
        let (leader, follower) = left.runtime.isLeader ? (left, right) : (right, left)
        await leader.stop(gracefully: false)  // the leader dies without releasing its lease
        #expect(try await harness.wait(seconds: 90) { follower.runtime.isLeader })
        let done = try await harness.wait(seconds: 90) { harness.completed(["a/one", "b/two"]) }
        try await Task.sleep(for: .seconds(1))
        await follower.stop()
        #expect(done)
        #expect(harness.restartPatches().sorted() == ["a/one", "b/two"])  // no double action
    }
}
