import Foundation
import KubeSim
import Testing
import TestSupport

/// `token-warden audit --kubeconfig …`: the real audit sample, its pod found in a (simulated)
/// cluster and joined to the workload that owns it.
@Suite struct AuditCommandEndToEndTests {
    @Test func joinsTheStalePodToItsWorkload() async throws {
        guard TokenWardenBinary.url != nil else {
            print("skipping: no token-warden binary next to the test runner")
            return
        }
        // The golden audit line names pod legacy-app-0 (uid 460651b8-…) in namespace auditdemo.
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("auditdemo")
        scenario.statefulSet("auditdemo", "legacy-app", replicas: 1, ageDays: 3)
        let objects = scenario.objects.map { object -> JSONValue in
            guard object["kind"]?.stringValue == "Pod" else { return object }
            var pod = object
            pod.set("460651b8-d445-4da7-8b5b-66c269fb6a50", at: ["metadata", "uid"])
            return pod
        }
        let sim = try SimServer.start(objects: objects)
        defer { sim.stop() }
        let dir = try SimServer.temporaryDirectory("audit-join")
        let kubeconfig = dir.appendingPathComponent("config").path
        try sim.writeKubeconfig(path: kubeconfig)
        let log = dir.appendingPathComponent("audit.log")
        try Fixtures.golden("audit/stale-token-event.json").write(to: log)

        let (status, text) = try await TokenWardenBinary.run(["audit", "--kubeconfig", kubeconfig, "--no-progress", log.path])
        #expect(status == 0)
        #expect(text.split(separator: "\n").first?.contains("WORKLOAD") == true)
        #expect(text.contains("legacy-app-0"))
        #expect(text.contains("StatefulSet/legacy-app") || text.contains("StatefulSet legacy-app"), "\(text)")
    }
}
