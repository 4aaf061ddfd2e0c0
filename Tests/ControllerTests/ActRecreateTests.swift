import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Plan
import Testing

@Suite("Act: recreate a bare pod, and report mode")
struct ActRecreateTests {
    static func barePod(_ sim: ActSim, annotations: [String: String] = ["token-warden.dev/strategy": "recreate"]) throws {
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.pod("tool", uid: "tool-1", started: "2025-01-01T00:00:00Z", annotations: annotations))]")
    }

    static let decision = ActFixtures.decision(.pod, name: "tool", uid: "tool-1", action: .restart(.recreate, resume: false))
    static let ref = ObjectRef(kind: "Pod", namespace: "shop", name: "tool", uid: "tool-1")

    @Test func theManifestDropsServerOwnedFieldsAndKeepsTheSpec() throws {
        let json = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"tool","namespace":"shop","uid":"u","resourceVersion":"9",
          "creationTimestamp":"2025-01-01T00:00:00Z","generation":1,"managedFields":[{"manager":"kubectl"}],
          "annotations":{"a":"b"},"labels":{"app":"tool"}},
         "spec":{"nodeName":"node-1","containers":[{"name":"app","image":"x"}],"ephemeralContainers":[{"name":"debugger","image":"busybox"}],
          "terminationGracePeriodSeconds":5},
         "status":{"phase":"Running"}}
        """#
        let source = try PodManifest.read(Array(json.utf8))
        #expect(source.uid == "u" && !source.hasController && source.gracePeriodSeconds == 5)
        let manifest = PodManifest.recreation(of: source.manifest, annotations: ["token-warden.dev/restarted-at": "2026-11-23T12:00:00Z"])
        #expect(manifest["status"] == nil)
        let metadata = try #require(manifest["metadata"])
        for key in ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"] { #expect(metadata[key] == nil, "\(key)") }
        #expect(metadata["name"] == .string("tool"))
        #expect(metadata["labels"] == .object(["app": .string("tool")]))
        #expect(metadata["annotations"] == .object(["a": .string("b"), "token-warden.dev/restarted-at": .string("2026-11-23T12:00:00Z")]))
        #expect(manifest["spec"]?["nodeName"] == .string("node-1"), "kept, as kubectl replace --force keeps it")
        #expect(manifest["spec"]?["ephemeralContainers"] == nil)
        #expect(manifest["spec"]?["containers"] == source.manifest["spec"]?["containers"])
    }

    @Test func aBarePodIsReplacedWithANewUIDFromItsOwnSpec() async throws {
        let sim = try ActSim()
        try Self.barePod(sim)
        let before = try #require(sim.object("pods", namespace: "shop", name: "tool"))
        let executor = ActFixtures.executor(sim)
        let replacement = try await executor.recreate(Self.decision, pod: Self.ref, now: ActFixtures.now)

        let after = try #require(sim.object("pods", namespace: "shop", name: "tool"))
        let uid = (after["metadata"] as? [String: Any])?["uid"] as? String
        #expect(uid != nil && uid != "tool-1")
        #expect(replacement.uid == uid)
        let spec = { (pod: [String: Any]) in try JSONSerialization.data(withJSONObject: pod["spec"] ?? [:], options: .sortedKeys) }
        #expect(try spec(after) == spec(before), "the same spec, token volume and node included")
        let annotations = ActFixtures.annotations(after)
        #expect(annotations["token-warden.dev/strategy"] == "recreate")
        #expect(annotations["token-warden.dev/restart-for-deadline"] == ActFixtures.deadline.rfc3339)
        #expect((after["status"] as? [String: Any])?["phase"] as? String != "Running", "status is the server's, not the old pod's")

        let writes = sim.requests.filter(\.isWrite).map { "\($0.verb) \($0.resource)" }
        #expect(writes.filter { $0.hasSuffix("pods") } == ["delete pods", "create pods"])
        let events = try ActFixtures.events(sim, namespace: "shop", about: "tool")
        #expect(events.map(\.reason) == ["RestartStarted"])
        #expect(events.first?.involvedObject.uid == "tool-1", "about the pod that was deleted")
    }

    @Test func waitsForAGracefulDeletionBeforeCreating() async throws {
        let sim = try ActSim()
        try Self.barePod(sim)
        sim.setGracefulPodDeletion(true)
        // The kubelet: finishes the deletion a little later.
        let kubelet = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(50))
                if let pod = sim.object("pods", namespace: "shop", name: "tool"),
                   (pod["metadata"] as? [String: Any])?["deletionTimestamp"] != nil {
                    try await Task.sleep(for: .milliseconds(300))
                    try sim.delete("pods", namespace: "shop", name: "tool", gracePeriodSeconds: 0)
                    return
                }
            }
        }
        defer { kubelet.cancel() }
        let replacement = try await ActFixtures.executor(sim).recreate(Self.decision, pod: Self.ref, now: ActFixtures.now, deletionTimeout: 20)
        #expect(replacement.uid != "tool-1")
        let pod = try #require(sim.object("pods", namespace: "shop", name: "tool"))
        #expect((pod["metadata"] as? [String: Any])?["deletionTimestamp"] == nil)
    }

    @Test func aPodThatDoesNotGoIsNotCreatedAgain() async throws {
        let sim = try ActSim()
        try Self.barePod(sim)
        sim.setGracefulPodDeletion(true)  // and no kubelet to finish it
        await #expect(throws: RestartError.self) {
            try await ActFixtures.executor(sim).recreate(Self.decision, pod: Self.ref, now: ActFixtures.now, deletionTimeout: 0.5)
        }
        #expect(!sim.requests.contains { $0.verb == "create" && $0.resource == "pods" })
        #expect(sim.object("pods", namespace: "shop", name: "tool") != nil, "still terminating, not replaced")
    }

    @Test func anotherPodOrAControlledPodIsRefused() async throws {
        let sim = try ActSim()
        try Self.barePod(sim)
        let executor = ActFixtures.executor(sim)
        let stale = ObjectRef(kind: "Pod", namespace: "shop", name: "tool", uid: "someone-else")
        await #expect(throws: RestartError.self) { try await executor.recreate(Self.decision, pod: stale, now: ActFixtures.now) }
        let owner = ActFixtures.Owner(apiVersion: "v1", kind: "ReplicationController", name: "rc", uid: "rc-1")
        try sim.load(ActFixtures.pod("owned", uid: "owned-1", started: "2025-01-01T00:00:00Z", owner: owner))
        let owned = ObjectRef(kind: "Pod", namespace: "shop", name: "owned", uid: "owned-1")
        await #expect(throws: RestartError.self) { try await executor.recreate(Self.decision, pod: owned, now: ActFixtures.now) }
        #expect(!sim.requests.contains { $0.isWrite && $0.resource == "pods" })
    }

    @Test func reportModeWritesNothingButEvents() async throws {
        let sim = try ActSim()
        let owner = ActFixtures.Owner(apiVersion: "v1", kind: "ReplicationController", name: "legacy", uid: "rc-1")
        try sim.load("[" + [
            ActFixtures.namespace("shop"), ActFixtures.deployment("web", uid: "d-1"),
            ActFixtures.replicationController("legacy", uid: "rc-1", replicas: 1),
            ActFixtures.pod("legacy-0", uid: "old-0", started: "2025-01-01T00:00:00Z", owner: owner),
            ActFixtures.pod("tool", uid: "tool-1", started: "2025-01-01T00:00:00Z", annotations: ["token-warden.dev/strategy": "recreate"]),
        ].joined(separator: ",") + "]")
        let executor = ActFixtures.executor(sim, dryRun: true)
        sim.clearRequests()

        try await executor.startRollout(ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false)),
                                        now: ActFixtures.now)
        let pods = try sim.objects("pods", namespace: "shop").map { try JSONDecoder().decode(Pod.self, from: JSONSerialization.data(withJSONObject: $0)) }
        let step = try await executor.evictNext(
            ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false)),
            workloadPods: pods.filter { $0.metadata.name.hasPrefix("legacy") }, now: ActFixtures.now, timeout: 600)
        #expect(step == .dryRun(wouldEvict: ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-0", uid: "old-0")))
        let same = try await executor.recreate(Self.decision, pod: Self.ref, now: ActFixtures.now)
        #expect(same.uid == "tool-1")

        let writes = sim.requests.filter(\.isWrite)
        #expect(!writes.isEmpty && writes.allSatisfy { $0.resource == "events" && $0.verb == "create" }, "\(writes)")
        #expect(ActFixtures.templateAnnotations(sim.object("deployments", namespace: "shop", name: "web")).isEmpty)
        #expect(sim.object("pods", namespace: "shop", name: "legacy-0") != nil)
        let reasons = try ActFixtures.events(sim, namespace: "shop").compactMap(\.reason)
        #expect(reasons == ["WouldRestart", "WouldRestart", "WouldRestart"])
    }
}
