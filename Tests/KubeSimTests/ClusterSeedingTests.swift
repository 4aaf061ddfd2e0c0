import Foundation
import Testing
import TestSupport

@testable import KubeSim

/// Objects loaded as given are existing state: the controllers adopt them instead of replacing.
@Suite(.serialized) struct ClusterSeedingTests {
    private func golden(_ name: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](Fixtures.golden("objects/\(name)")))
    }

    @Test func goldenDeploymentKeepsItsReplicaSetAndPod() throws {
        let deployment = try golden("deployment.json")
        // List items carry no kind/apiVersion; as separate objects they need them.
        let sets = (try golden("replicasets.json")["items"]?.arrayValue ?? []).map { item -> JSONValue in
            var set = item
            set["kind"] = "ReplicaSet"
            set["apiVersion"] = "apps/v1"
            return set
        }
        let pod = try golden("pod.json")
        let harness = try ClusterHarness(seed: [deployment] + sets + [pod], namespaces: ["golden"])
        let setNames = Set(sets.compactMap { $0.value(at: ["metadata", "name"])?.stringValue })
        // The Deployment wants 2 replicas; the seed has one pod: one more is made by the adopted ReplicaSet.
        harness.wait("two pods") { harness.readyPods("golden", label: ("app", "web")).count == 2 }
        usleep(300_000)
        #expect(Set(harness.store.objects(ResourceCatalog.replicaSets, namespace: "golden").map(\.name)) == setNames)
        let seededPod = harness.store.get(ResourceCatalog.pods, namespace: "golden", name: "web-698c77d944-9fz8k")
        #expect(seededPod?.uid == pod.value(at: ["metadata", "uid"])?.stringValue)
        #expect(seededPod?.value["spec"] == pod["spec"])
        #expect(seededPod?.value["status"] == pod["status"])
        let progressing = harness.object(ResourceCatalog.deployments, "web", namespace: "golden")?
            .value(at: ["status", "conditions"])?.arrayValue?.first { $0["type"] == "Progressing" }
        #expect(progressing?["reason"] == "NewReplicaSetAvailable")
    }

    @Test func goldenOnDeleteStatefulSetKeepsItsRevision() throws {
        let set = try golden("statefulset-ondelete.json")
        let revision = set.value(at: ["status", "updateRevision"])
        let harness = try ClusterHarness(seed: [set], namespaces: ["golden"])
        harness.wait("db-0 ready") { harness.readyPods("golden", label: ("app", "db")).count == 1 }
        let status = harness.object(ResourceCatalog.statefulSets, "db", namespace: "golden")?["status"]
        #expect(status?["updateRevision"] == revision)
        #expect(status?["currentRevision"] == revision)
        #expect(harness.object(ResourceCatalog.pods, "db-0", namespace: "golden")?.value(at: ["metadata", "labels", "controller-revision-hash"]) == revision)
    }

    @Test(arguments: [false, true])
    func generatedClusterIsLeftAlone(skipSettled: Bool) throws {
        let spec = try GenerateSpec.parse("pods=150,namespaces=3,pending=0%,seed=5")
        let objects = ClusterGenerator.objects(spec: spec, now: Date())
        let harness = try ClusterHarness(seed: objects, namespaces: [], skipSettled: skipSettled)
        var namespaces = Set<String>()
        for object in objects where object["kind"] == "Namespace" { namespaces.insert(object.value(at: ["metadata", "name"])?.stringValue ?? "") }
        let podsBefore = namespaces.flatMap { harness.store.objects(ResourceCatalog.pods, namespace: $0) }
        usleep(200_000)
        harness.wait("controllers idle") { harness.cluster.isIdle }
        usleep(300_000)
        let podsAfter = namespaces.flatMap { harness.store.objects(ResourceCatalog.pods, namespace: $0) }
        #expect(Set(podsAfter.map(\.uid)) == Set(podsBefore.map(\.uid)), "no pod replaced")
        let changed = podsAfter.filter { after in podsBefore.first { $0.uid == after.uid }?.resourceVersion != after.resourceVersion }
        #expect(changed.isEmpty, "pods rewritten: \(changed.prefix(3).map(\.name))")
        #expect(harness.cluster.recorder.rollouts().filter { $0.kind != "ReplicaSet" && $0.kind != "ReplicationController" }.isEmpty)
    }
}
