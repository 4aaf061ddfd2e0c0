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
}
