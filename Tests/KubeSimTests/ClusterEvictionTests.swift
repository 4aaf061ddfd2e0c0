import Foundation
import Testing
import TestSupport

@testable import KubeSim

@Suite(.serialized) struct ClusterEvictionTests {
    private func evict(_ harness: ClusterHarness, _ name: String) -> StatusError? {
        do {
            try harness.cluster.evictionHandler(EvictionRequest(namespace: "apps", name: name), harness.store)
            return nil
        } catch {
            return error
        }
    }

    @Test func budgetBlocksEvictionWithTheAPIServersExact429() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.replicationControllers, namespace: "apps",
                                 object: ClusterHarness.replicationController("legacy", replicas: 1))
        try harness.store.create(ResourceCatalog.podDisruptionBudgets, namespace: "apps",
                                 object: ClusterHarness.podDisruptionBudget("legacy", app: "legacy", "minAvailable", 1))
        harness.wait("legacy ready") { harness.readyPods(label: ("app", "legacy")).count == 1 }
        let pod = try #require(harness.pods(label: ("app", "legacy")).first)
        let refusal = try #require(evict(harness, pod.name))

        let golden = try JSONParser.parse([UInt8](Fixtures.golden("errors/429-eviction-blocked-by-pdb.json")))
        #expect(refusal.code == 429)
        #expect(refusal.code == golden["code"]?.intValue.map(Int.init))
        #expect(refusal.reason == golden["reason"]?.stringValue)
        #expect(refusal.message == golden["message"]?.stringValue)
        let cause = golden.value(at: ["details", "causes"])?[0]
        #expect(refusal.causes.map(\.reason) == [cause?["reason"]?.stringValue ?? ""])
        #expect(refusal.causes.map(\.message) == [cause?["message"]?.stringValue ?? ""])
        #expect(harness.store.get(ResourceCatalog.pods, namespace: "apps", name: pod.name)?.uid == pod.uid)

        harness.wait("budget status") {
            let status = harness.object(ResourceCatalog.podDisruptionBudgets, "legacy")?["status"]
            return status?["currentHealthy"] == 1 && status?["desiredHealthy"] == 1 && status?["disruptionsAllowed"] == 0
                && status?["expectedPods"] == 1
        }
    }

    @Test func evictionIsAllowedWhenTheBudgetHasRoomAndTheControllerReplacesThePod() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.replicationControllers, namespace: "apps",
                                 object: ClusterHarness.replicationController("web", replicas: 3))
        try harness.store.create(ResourceCatalog.podDisruptionBudgets, namespace: "apps",
                                 object: ClusterHarness.podDisruptionBudget("web", app: "web", "maxUnavailable", "34%"))
        harness.wait("web ready") { harness.readyPods(label: ("app", "web")).count == 3 }
        harness.wait("budget allows two") {
            harness.object(ResourceCatalog.podDisruptionBudgets, "web")?.value(at: ["status", "disruptionsAllowed"]) == 2
        }
        let victim = try #require(harness.pods(label: ("app", "web")).first)
        #expect(evict(harness, victim.name) == nil)
        #expect(harness.store.get(ResourceCatalog.pods, namespace: "apps", name: victim.name) == nil)
        harness.wait("replacement ready") {
            harness.readyPods(label: ("app", "web")).count == 3
                && !harness.pods(label: ("app", "web")).contains { $0.uid == victim.uid }
        }
    }

    @Test(arguments: [("minAvailable", JSONValue.string("50%"), 2, 2), ("minAvailable", .int(3), 3, 1),
                      ("maxUnavailable", .int(1), 3, 1), ("maxUnavailable", .string("25%"), 3, 1)])
    func budgetArithmeticMatchesUpstream(rule: String, value: JSONValue, desired: Int, allowed: Int) {
        var spec = JSONObject()
        spec[rule] = value
        let result = DisruptionBudgetMath.compute(spec: .object(spec), matchingPods: 4, ownersScale: 4, currentHealthy: 4)
        #expect(result.desiredHealthy == desired)
        #expect(result.disruptionsAllowed == allowed)
    }

    @Test func podsOfACustomControllerAreReplacedAfterEviction() throws {
        let owner: JSONValue = [["apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "canary", "uid": "0f0f0f0f-1111-2222-3333-444444444444",
                                 "controller": true, "blockOwnerDeletion": true]]
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "canary-abc12", "generateName": "canary-", "namespace": "apps", "labels": ["app": "canary"],
                         "ownerReferences": owner],
            "spec": ClusterHarness.template(app: "canary")["spec"] ?? [:],
        ]
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.pods, namespace: "apps", object: pod)
        harness.wait("canary ready") { harness.readyPods(label: ("app", "canary")).count == 1 }
        #expect(evict(harness, "canary-abc12") == nil)
        harness.wait("canary replaced") {
            let pods = harness.readyPods(label: ("app", "canary"))
            return pods.count == 1 && pods[0].name != "canary-abc12"
        }
        let replacement = try #require(harness.readyPods(label: ("app", "canary")).first?.value)
        #expect(PodFacts.controllerReference(replacement)?["kind"] == "Rollout")
        let volumes = replacement.value(at: ["spec", "volumes"])?.arrayValue ?? []
        #expect(volumes.filter { $0["name"]?.stringValue?.hasPrefix("kube-api-access-") == true }.count == 1)
    }

    /// Through HTTP with the cluster running: the golden RC "legacy" with its PDB (minAvailable 1)
    /// blocks the eviction with the golden 429 body; with two replicas it is accepted with 201.
    @Test func httpEvictionMatchesTheGoldenResponses() throws {
        var options = ClusterOptions()
        options.readyDelay = 0
        let sim = try SimServer.start(tls: false, objects: [["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "golden"]]],
                                      cluster: options)
        defer { sim.stop() }
        var controller = ClusterHarness.replicationController("legacy", replicas: 1, namespace: "golden")
        controller.set(["app": "legacy"], at: ["metadata", "labels"])
        try sim.store.create(ResourceCatalog.replicationControllers, namespace: "golden", object: controller)
        try sim.store.create(ResourceCatalog.podDisruptionBudgets, namespace: "golden",
                             object: ClusterHarness.podDisruptionBudget("legacy", app: "legacy", "minAvailable", 1, namespace: "golden"))
        func readyPods() -> [StoredObject] {
            sim.store.objects(ResourceCatalog.pods, namespace: "golden").filter { PodFacts.isReady($0.value) }
        }
        let deadline = Date().addingTimeInterval(20)
        while readyPods().count != 1 && Date() < deadline { usleep(10_000) }
        let pod = try #require(readyPods().first)
        let client = try RawHTTPClient(port: sim.port)
        let body = Array(#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"\#(pod.name)","namespace":"golden"}}"#.utf8)
        let blocked = try #require(client.request("POST", "/api/v1/namespaces/golden/pods/\(pod.name)/eviction", token: sim.adminToken, body: body))
        #expect(blocked.status == 429)
        #expect(try blocked.json() == JSONParser.parse([UInt8](Fixtures.golden("errors/429-eviction-blocked-by-pdb.json"))))

        try sim.store.modify(ResourceCatalog.replicationControllers, namespace: "golden", name: "legacy") { value throws(StatusError) in
            value.set(2, at: ["spec", "replicas"])
        }
        while readyPods().count != 2 && Date() < deadline { usleep(10_000) }
        let accepted = try #require(client.request("POST", "/api/v1/namespaces/golden/pods/\(pod.name)/eviction", token: sim.adminToken, body: body))
        #expect(accepted.status == 201)
        #expect(try accepted.json() == JSONParser.parse([UInt8](Fixtures.golden("objects/eviction-accepted.json"))))
        #expect(sim.store.get(ResourceCatalog.pods, namespace: "golden", name: pod.name) == nil)
    }
}
