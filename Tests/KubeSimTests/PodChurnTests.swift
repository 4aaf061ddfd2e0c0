import Foundation
import KubeSim
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
}
