import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Plan
import Testing

/// The executor against the simulated cluster: its kubelet, Deployment and ReplicationController
/// controllers and PDB-aware eviction react to what the executor writes, as a real cluster would.
@Suite("Act: against the simulated cluster")
struct ActClusterTests {
    static func wallClock() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }

    static func pods(_ sim: ActSim, app: String) throws -> [Pod] {
        try sim.objects("pods", namespace: "shop").map { try JSONDecoder().decode(Pod.self, from: JSONSerialization.data(withJSONObject: $0)) }
            .filter { $0.metadata.labels?["app"] == app }
    }

    static func ready(_ pods: [Pod]) -> [Pod] {
        pods.filter { $0.metadata.deletionTimestamp == nil && $0.status?.phase == "Running" && $0.status?.isReady == true }
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    static func budget(_ name: String, _ rule: String) -> String {
        #"{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"\#(name)","namespace":"shop"},"spec":{\#(rule),"selector":{"matchLabels":{"app":"\#(name)"}}}}"#
    }

    @Test func theRolloutPatchRollsTheSimulatedDeployment() async throws {
        let sim = try ActSim(cluster: true)
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.deployment("web", uid: "d-1"))]")
        #expect(try await Self.eventually { Self.ready(try Self.pods(sim, app: "web")).count == 2 })
        let old = Set(try Self.pods(sim, app: "web").compactMap(\.metadata.uid))
        try await Task.sleep(for: .seconds(1.1))  // the restart happens a second after the pods started

        let now = Self.wallClock()
        let decision = ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false))
        try await ActFixtures.executor(sim).startRollout(decision, now: now)

        let rolled = try await Self.eventually {
            let pods = try Self.pods(sim, app: "web")
            return pods.count == 2 && Self.ready(pods).count == 2 && pods.allSatisfy { pod in
                !old.contains(pod.metadata.uid ?? "") && pod.metadata.annotations?["kubectl.kubernetes.io/restartedAt"] == now.rfc3339
            }
        }
        #expect(rolled, "every pod replaced by one carrying the restartedAt annotation")
        #expect(sim.rollouts(kind: "Deployment", name: "web").contains { $0.ended != nil })
        let replacements = try Self.pods(sim, app: "web")
        #expect(replacements.allSatisfy { $0.metadata.annotations?["token-warden.dev/restarted-at"] == now.rfc3339 })
    }

    @Test func evictionReplacesReplicationControllerPodsWithoutBreakingTheBudget() async throws {
        let sim = try ActSim(cluster: true)
        try sim.load("[" + [ActFixtures.namespace("shop"), ActFixtures.replicationController("legacy", uid: "rc-1", replicas: 3),
                            Self.budget("legacy", #""maxUnavailable":1"#)].joined(separator: ",") + "]")
        #expect(try await Self.eventually { Self.ready(try Self.pods(sim, app: "legacy")).count == 3 })
        let old = Set(try Self.pods(sim, app: "legacy").compactMap(\.metadata.uid))
        try await Task.sleep(for: .seconds(1.1))

        let executor = ActFixtures.executor(sim)
        let start = Self.wallClock()
        var decision = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        var evicted: [String] = []
        var fewestReady = 3
        var finished = false
        let began = ContinuousClock.now
        while ContinuousClock.now - began < .seconds(60) {
            let pods = try Self.pods(sim, app: "legacy")
            fewestReady = min(fewestReady, Self.ready(pods).count)
            let step = try await executor.evictNext(decision, workloadPods: pods, now: Self.wallClock(), timeout: 120)
            decision.action = .inProgress(since: start)
            if case .evicted(let pod) = step { evicted.append(pod.name) }
            if step == .done {
                finished = true
                break
            }
            if case .timedOut = step { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(finished)
        #expect(evicted.count == 3 && Set(evicted).count == 3, "\(evicted)")
        #expect(fewestReady >= 2, "the budget allows one pod down at a time")
        let now = try Self.pods(sim, app: "legacy")
        #expect(now.count == 3 && now.allSatisfy { !old.contains($0.metadata.uid ?? "") })
        #expect(Self.ready(now).count == 3)
    }

    @Test func aBudgetThatAllowsNoDisruptionBlocksWithTheServersWords() async throws {
        let sim = try ActSim(cluster: true)
        try sim.load("[" + [ActFixtures.namespace("shop"), ActFixtures.replicationController("legacy", uid: "rc-1", replicas: 1),
                            Self.budget("legacy", #""minAvailable":1"#)].joined(separator: ",") + "]")
        #expect(try await Self.eventually { Self.ready(try Self.pods(sim, app: "legacy")).count == 1 })
        try await Task.sleep(for: .seconds(1.1))
        let decision = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        let step = try await ActFixtures.executor(sim).evictNext(decision, workloadPods: try Self.pods(sim, app: "legacy"),
                                                                now: Self.wallClock(), timeout: 120)
        guard case .blocked(let status, _) = step else {
            Issue.record("expected .blocked, got \(step)")
            return
        }
        #expect(status.code == 429)
        #expect(status.message == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(status.details?.causes?.first?.message == "The disruption budget legacy needs 1 healthy pods and has 1 currently")
        #expect(try Self.pods(sim, app: "legacy").count == 1)
    }
}
