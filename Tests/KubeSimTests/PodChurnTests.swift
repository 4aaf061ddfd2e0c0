import Foundation
@testable import KubeSim
import Testing
import TestSupport

/// `POST /kube-sim/churn`: random pods changed at a steady rate (one MODIFIED event each) until
/// told to stop.
@Suite struct PodChurnTests {
    @Test func changesPodsAtTheRateUntilStopped() throws {
        let pods: [JSONValue] = (0..<5).map { i in
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string("p\(i)"), "namespace": "default"], "spec": ["containers": []]]
        }
        let sim = try SimServer.start(tls: false, objects: pods)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let before = sim.store.resourceVersion
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":50}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":0}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.1)
        let stopped = sim.store.resourceVersion
        let changes = stopped - before
        #expect((10...40).contains(changes), "\(changes) changes in 0.6 s at 50/s")
        let churned = sim.store.objects(ResourceCatalog.pods).filter { $0.value.value(at: ["metadata", "annotations", "kube-sim.dev/churn"]) != nil }
        #expect(!churned.isEmpty)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(sim.store.resourceVersion == stopped)  // nothing after the stop
        #expect(client.request("POST", "/kube-sim/churn", token: "not-admin", body: Array(#"{"perSecond":50}"#.utf8))?.status == 401)
    }

    /// The mix: label changes instead of annotation changes, and deletions only of pods whose
    /// owner's controller would replace them (never a bare pod).
    @Test func mixSetsLabelsAndDeletesOnlyReplaceablePods() throws {
        let owner: JSONValue = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u-rs", "controller": true]]
        let pods: [JSONValue] = (0..<10).map { i in
            var metadata: JSONObject = ["name": .string("p\(i)"), "namespace": "default"]
            if i < 5 { metadata["ownerReferences"] = owner }
            return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": ["containers": []]]
        }
        let sim = try SimServer.start(tls: false, objects: pods)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":50,"labels":1}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":50,"deletes":1}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":0}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.1)
        let left = sim.store.objects(ResourceCatalog.pods)
        let names = Set(left.map(\.name))
        #expect(["p5", "p6", "p7", "p8", "p9"].allSatisfy(names.contains), "bare pods are never deleted")
        #expect(left.count < 10, "owned pods were deleted")
        #expect(left.contains { $0.value.value(at: ["metadata", "labels", "kube-sim.dev/churn"]) != nil })
        #expect(!left.contains { $0.value.value(at: ["metadata", "annotations", "kube-sim.dev/churn"]) != nil })
    }

    /// Readiness flips: the pod's Ready condition toggled through the status subresource (added
    /// as False when the pod reports none), True ↔ False.
    @Test func readinessFlipsThePodsReadyCondition() throws {
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p0", "namespace": "default"], "spec": ["containers": []]]
        PodChurn.flipReadiness(&pod)
        #expect(pod.value(at: ["status", "conditions"])?.arrayValue?.first?["status"]?.stringValue == "False")
        PodChurn.flipReadiness(&pod)
        #expect(pod.value(at: ["status", "conditions"])?.arrayValue?.count == 1)
        #expect(pod.value(at: ["status", "conditions"])?.arrayValue?.first?["status"]?.stringValue == "True")

        let sim = try SimServer.start(tls: false, objects: [pod])
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":50,"readiness":1}"#.utf8))?.status == 200)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(client.request("POST", "/kube-sim/churn", token: sim.adminToken, body: Array(#"{"perSecond":0}"#.utf8))?.status == 200)
        let stored = try #require(sim.store.objects(ResourceCatalog.pods).first)
        #expect(stored.value.value(at: ["status", "conditions"])?.arrayValue?.first?["type"]?.stringValue == "Ready")
        #expect(stored.value.value(at: ["metadata", "annotations", "kube-sim.dev/churn"]) == nil, "readiness only")
    }
}
