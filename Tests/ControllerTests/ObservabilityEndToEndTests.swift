import Assess
import Controller
import Evidence
import Foundation
import KubeSim
import Testing
import TestSupport
import Transport

/// Metrics, readiness and the audit webhook of a running controller against the simulated cluster.
@Suite(.serialized) struct ObservabilityEndToEndTests {
    static func get(_ port: Int, _ path: String) async throws -> (Int, String) {
        let response = try await CurlTransport().send(TransportRequest(url: "http://127.0.0.1:\(port)\(path)"))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func endpointRuntime(_ harness: ScenarioHarness, mode: PolicyMode, auditWebhook: WebhookCredentials? = nil,
                                maxConcurrent: Int = 2, leaderElection: Bool = false) throws -> ControllerRuntime {
        let base = try harness.runtime(identity: "observed", mode: mode, maxConcurrent: maxConcurrent, leaderElection: leaderElection)
        var configuration = base.configuration
        configuration.httpAddress = "127.0.0.1:0"
        configuration.auditWebhook = auditWebhook.map { credentials in
            AuditWebhookSettings(
                address: "127.0.0.1:0", certificateFile: credentials.certificateFile, privateKeyFile: credentials.privateKeyFile,
                clientCAFile: credentials.clientCAFile)
        }
        return try ControllerRuntime(cluster: base.client.config, configuration: configuration, identity: "observed",
                                     minimumInterval: .milliseconds(50))
    }

    @Test func metricsMatchThePopulationAndReadinessFlips() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("shop")
            s.deployment("shop", "web", replicas: 2, ageDays: 340)
            s.deployment("shop", "cart", replicas: 1, ageDays: 345)
            s.deployment("shop", "api", replicas: 3, ageDays: 10)
            s.namespace("edge", annotations: ["token-warden.dev/token-lifetime": "none"])
            s.deployment("edge", "sensor", replicas: 1, ageDays: 1)
        }
        defer { harness.stop() }
        let runtime = try Self.endpointRuntime(harness, mode: .report)
        #expect(runtime.health.isReady == false)  // nothing synced yet
        let replica = try harness.start(runtime)
        let ready = try await harness.wait {
            runtime.health.isReady && harness.events("WouldRestart").count == 2
        }
        #expect(ready)
        let port = try #require(runtime.endpoints?.port)
        let (readyCode, readyText) = try await Self.get(port, "/readyz")
        #expect(readyCode == 200)
        #expect(readyText.contains("[+]caches-synced ok"))
        let (healthCode, _) = try await Self.get(port, "/healthz")
        #expect(healthCode == 200)
        let (metricsCode, metrics) = try await Self.get(port, "/metrics")
        #expect(metricsCode == 200)
        func value(_ series: String) -> Double? {
            metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
        }
        #expect(value(#"token_warden_workloads{classification="at_risk"}"#) == 2)
        #expect(value(#"token_warden_workloads{classification="ok"}"#) == 1)
        #expect(value(#"token_warden_workloads{classification="unprotectable"}"#) == 1)
        #expect(value(#"token_warden_pods{classification="at_risk"}"#) == 3)
        #expect(value(#"token_warden_pods{classification="ok"}"#) == 3)
        #expect(value("token_warden_leader") == 1)
        #expect(metrics.contains(#"token_warden_workload_deadline_remaining_seconds{namespace="shop",kind="Deployment",name="web"}"#))
        #expect(metrics.contains("token_warden_api_requests_total{"))

        // The API server goes away: after the reachability window the controller says it is not ready.
        harness.sim.stop()
        runtime.health.recordAPIFailure("test: API server stopped")
        await replica.stop()
    }

    /// A pod whose containers started 10 days ago looks fine, but the API server's audit log shows
    /// it presenting a token issued 350 days ago: it is restarted first, before the estimate's at-risk one.
    @Test func theWebhookMakesAYoungLookingPodConfirmedStaleAndFirst() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("shop")
            s.deployment("shop", "web", replicas: 1, ageDays: 340)
            s.namespace("tools")
            s.deployment("tools", "young", replicas: 1, ageDays: 10)
        }
        defer { harness.stop() }
        // Someone else holds the lease for a few seconds, so the evidence arrives before any action.
        let renew = Date().timeIntervalSince1970
        let micro = ISO8601DateFormatter.microseconds(renew)
        try harness.sim.load([[
            "kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
            "metadata": ["name": "token-warden", "namespace": "default"],
            "spec": ["holderIdentity": "someone-else", "leaseDurationSeconds": 3, "acquireTime": .string(micro), "renewTime": .string(micro), "leaseTransitions": 0],
        ]])
        let credentials = try WebhookCredentials()
        let runtime = try Self.endpointRuntime(harness, mode: .restart, auditWebhook: credentials, maxConcurrent: 1, leaderElection: true)
        let replica = try harness.start(runtime)
        #expect(try await harness.wait { runtime.health.isReady && runtime.auditWebhook.map { $0.port > 0 } == true })

        let young = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first)
        let pastWarning = 350 * 86_400 - 3607
        let batch = #"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/tools/configmaps","verb":"list","user":{"username":"system:serviceaccount:tools:default","groups":["system:serviceaccounts"],"extra":{"authentication.kubernetes.io/pod-name":["\#(young.name)"],"authentication.kubernetes.io/pod-uid":["\#(young.uid)"]}},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"\#(micro)","stageTimestamp":"\#(micro)","annotations":{"authentication.k8s.io/stale-token":"subject: system:serviceaccount:tools:default, seconds after warning threshold: \#(pastWarning)"}}]}"#
        let port = try #require(runtime.auditWebhook?.port)
        let posted = try await CurlTransport(tls: credentials.clientTLS(presenting: credentials.client)).send(TransportRequest(
            method: "POST", url: "https://127.0.0.1:\(port)/audit", headers: [("Content-Type", "application/json")], body: Array(batch.utf8)))
        #expect(posted.status == 200)
        #expect(runtime.evidence.isConfirmedStale(podUID: young.uid))

        let done = try await harness.wait(seconds: 90) { harness.completed(["tools/young", "shop/web"]) }
        await replica.stop()
        #expect(done)
        #expect(harness.restartPatches() == ["tools/young", "shop/web"])  // the evidence first
        #expect(harness.events("ConfirmedStaleToken").contains("tools/young"))
    }
}

/// `token-warden run --audit-webhook` without a way to authenticate senders does not start.
@Test(.enabled(if: TokenWardenBinary.url != nil, "token-warden not built"))
func anUnauthenticatedWebhookRefusesToStart() async throws {
    let binary = try #require(TokenWardenBinary.url)
    let outcome = try await ChildProcess.runAsync(binary.path, [
        "run", "--kubeconfig", "/nonexistent", "--audit-webhook",
        "--audit-webhook-tls-cert-file", "/tmp/tls.crt", "--audit-webhook-tls-key-file", "/tmp/tls.key",
    ], timeoutSeconds: 60)
    #expect(outcome.status == 64)
    #expect(outcome.errorOutput.contains("--audit-webhook-client-ca-file or --audit-webhook-token-file"))
    let noTLS = try await ChildProcess.runAsync(binary.path, [
        "run", "--kubeconfig", "/nonexistent", "--audit-webhook", "--audit-webhook-token-file", "/tmp/token",
    ], timeoutSeconds: 60)
    #expect(noTLS.status == 64)
    #expect(noTLS.errorOutput.contains("--audit-webhook-tls-cert-file"))
}

extension ISO8601DateFormatter {
    /// `MicroTime` as the API server writes it: RFC 3339 with six fraction digits.
    static func microseconds(_ unixSeconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = formatter.string(from: Date(timeIntervalSince1970: unixSeconds.rounded(.down)))
        let micros = Int((unixSeconds - unixSeconds.rounded(.down)) * 1_000_000)
        return base.dropLast() + String(format: ".%06dZ", micros)
    }
}
