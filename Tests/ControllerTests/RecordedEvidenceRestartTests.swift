import Assess
import Controller
import Foundation
import KubeSim
import Testing
import TestSupport

/// Evidence from a managed cluster's exported audit log drives `restart-on: evidence`: `audit
/// --record` writes it onto the pods, and a controller that never received a webhook batch
/// restarts exactly the workloads whose pods carry it.
@Suite struct RecordedEvidenceRestartTests {
    @Test(.enabled(if: TokenWardenBinary.url != nil, "no token-warden binary next to the test runner"))
    func anExportedLogRecordedOnThePodsRestartsExactlyThoseWorkloads() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("shop")
            s.deployment("shop", "a", replicas: 1, ageDays: 340)
            s.deployment("shop", "b", replicas: 2, ageDays: 340)
            s.deployment("shop", "c", replicas: 1, ageDays: 345)
        }
        defer { harness.stop() }
        let pods = harness.sim.store.objects(ResourceCatalog.pods, namespace: "shop")
        let a = try #require(pods.first { $0.name.hasPrefix("a-") })
        let b = try #require(pods.first { $0.name.hasPrefix("b-") })
        // The API server saw a's and one of b's pods present tokens 340 days old, an hour ago.
        let seen = Date().addingTimeInterval(-3600)
        let time = ISO8601DateFormatter().string(from: seen)
        let pastWarning = 340 * 86_400 - 3607
        let lines = try [a, b].map { pod in
            try AuditRecordEndToEndTests.staleEvent(namespace: "shop", serviceAccount: "default", pod: pod.name, uid: pod.uid,
                                                    seconds: pastWarning, time: time)
        }
        // As `aws logs filter-log-events` prints them.
        let document: [String: Any] = ["events": lines.enumerated().map { ["logStreamName": "kube-apiserver-audit-1", "timestamp": $0, "message": $1] }]
        let dir = try SimServer.temporaryDirectory("recorded-evidence")
        let log = dir.appendingPathComponent("events.json")
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: log)
        let kubeconfig = dir.appendingPathComponent("config").path
        try harness.sim.writeKubeconfig(path: kubeconfig)
        let (status, output) = try await TokenWardenBinary.run(["audit", "--kubeconfig", kubeconfig, "--no-progress", "--record", log.path])
        #expect(status == 0 || status == 1, "\(output)")
        for pod in [a, b] {
            #expect(AuditRecordEndToEndTests.podAnnotations(harness.sim, pod.name)[PolicyAnnotation.staleTokenIssuedAt] != nil, "\(output)")
        }

        let base = try harness.runtime(identity: "evidence", maxConcurrent: 2, perNamespace: 2)
        var configuration = base.configuration
        configuration.defaults.restartOn = .evidence
        let runtime = try ControllerRuntime(cluster: base.client.config, configuration: configuration, identity: "evidence",
                                            minimumInterval: .milliseconds(50))
        let replica = try harness.start(runtime)
        let restarted = try await harness.wait(seconds: 30) { Set(harness.restartPatches()) == ["shop/a", "shop/b"] }
        #expect(try await harness.wait(seconds: 10) { harness.events("UnconfirmedAtRisk").contains("shop/c") })
        try await Task.sleep(for: .seconds(2))  // passes go on: c still stays
        await replica.stop()
        #expect(restarted)
        #expect(Set(harness.restartPatches()) == ["shop/a", "shop/b"])
    }
}
