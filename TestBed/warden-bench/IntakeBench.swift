import Evidence
import Foundation
import HTTPServer
import Logging
import Observe
import Transport

/// The audit webhook's intake: authenticated batches of realistic `Metadata`-level events (the
/// layout of the real kube-apiserver v1.36 samples; 1 in 100 with the stale-token annotation,
/// for a new pod each time) posted over TLS with a bearer token to the webhook on loopback, one
/// batch at a time as the API server's batch backend sends them. Per core: events divided by
/// the CPU time of this whole process (the client's curl and TLS work included, so the figure
/// is conservative). Memory: resident set after the first and after the second half, to show it
/// does not grow with the events (the evidence store is bounded).
enum IntakeBench {
    static func run(batches: Int, eventsPerBatch: Int, logger: Logger) async throws -> [String: Any] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { _ = try? FileManager.default.removeItem(at: directory) }  // scratch files only
        let authority = try CertificateAuthority.generate(commonName: "intake-bench")
        let identity = try authority.issueServerIdentity(hosts: ["127.0.0.1"])
        func write(_ text: String, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let token = "bench-\(UUID().uuidString)"
        let settings = AuditWebhookSettings(
            address: "127.0.0.1:0", certificateFile: try write(identity.certificatePEM, "tls.crt"),
            privateKeyFile: try write(identity.privateKeyPEM, "tls.key"), tokenFile: try write(token, "token"))
        let store = StaleTokenEvidenceStore()
        let metrics = WardenMetrics()
        let receiver = AuditWebhookReceiver(store: store, metrics: metrics, logger: logger, batchClock: AuditBatchClock(startedAt: .init(seconds: 0)))
        let server = try AuditWebhookServer(settings: settings, receiver: receiver, metrics: metrics, logger: logger)
        try server.start()
        defer { server.stop() }

        let client = CurlTransport(tls: TLSSettings(certificateAuthority: .pem(Array(authority.certificatePEM.utf8))))
        let url = "https://127.0.0.1:\(server.port)/audit?timeout=30s"
        let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")]
        let distinct = 32
        let bodies = (0..<distinct).map { batch(index: $0, events: eventsPerBatch) }
        func post(_ index: Int) async throws {
            let reply = try await client.send(TransportRequest(method: "POST", url: url, headers: headers, body: bodies[index % distinct]))
            guard reply.status == 200 else { throw BenchError(message: "batch \(index) answered \(reply.status)") }
        }
        for index in 0..<5 { try await post(index) }  // warm-up: connection, TLS session, caches

        let half = max(1, batches / 2)
        let wall0 = Measure.wallSeconds(), cpu0 = Measure.processCPUSeconds()
        for index in 0..<half { try await post(index) }
        let firstHalfRSS = Measure.memory().rss
        for index in half..<(2 * half) { try await post(index) }
        let wall1 = Measure.wallSeconds(), cpu1 = Measure.processCPUSeconds()
        let memory = Measure.memory()
        let events = 2 * half * eventsPerBatch
        return [
            "command": "intake", "batches": 2 * half, "eventsPerBatch": eventsPerBatch, "events": events,
            "bytesPerBatch": bodies[0].count, "wallSeconds": wall1 - wall0, "cpuSeconds": cpu1 - cpu0,
            "eventsPerSecond": Double(events) / (wall1 - wall0), "eventsPerCPUSecond": Double(events) / (cpu1 - cpu0),
            "rssAfterHalfMiB": Double(firstHalfRSS) / 1_048_576, "rssAfterAllMiB": Double(memory.rss) / 1_048_576,
            "peakMiB": Double(memory.peak) / 1_048_576, "podsWithEvidence": store.snapshot().count,
            "evidenceCapacity": store.capacity,
        ]
    }

    /// One batch: `events` events, every hundredth naming a new pod with a stale token.
    static func batch(index: Int, events: Int) -> [UInt8] {
        var items: [String] = []
        items.reserveCapacity(events)
        for event in 0..<events {
            let n = index * events + event
            let pod = "app-\(n % 5000)"
            let uid = String(format: "%08x-d445-4da7-8b5b-%012x", n % 5000, n)
            var annotations = #""authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \"app-view\" of ClusterRole \"view\" to ServiceAccount \"app/shop\"""#
            if event % 100 == 0 {
                annotations = #""authentication.k8s.io/stale-token":"subject: system:serviceaccount:shop:app, seconds after warning threshold: \#(3_000_000 + n)","# + annotations
            }
            items.append(#"{"level":"Metadata","auditID":"\#(UUID().uuidString.lowercased())","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/configmaps?limit=500","verb":"list","user":{"username":"system:serviceaccount:shop:app","uid":"2cec3d69-6d28-43ba-a5c9-dee50ea9c9e2","groups":["system:serviceaccounts","system:serviceaccounts:shop","system:authenticated"],"extra":{"authentication.kubernetes.io/credential-id":["JTI=06aa2e10-01d5-49e1-9dd5-8cab8ea54e3d"],"authentication.kubernetes.io/node-name":["node-\#(n % 50)"],"authentication.kubernetes.io/node-uid":["dae62702-dbc2-49b6-a756-ffb00e9367f4"],"authentication.kubernetes.io/pod-name":["\#(pod)"],"authentication.kubernetes.io/pod-uid":["\#(uid)"]}},"sourceIPs":["10.0.\#(n % 250).\#(n % 200)"],"userAgent":"app/1.0 (linux/amd64) kubernetes/v1.19","objectRef":{"resource":"configmaps","namespace":"shop","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-23T18:37:38.434024Z","stageTimestamp":"2026-11-23T18:37:38.436181Z","annotations":{\#(annotations)}}"#)
        }
        return Array(#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[\#(items.joined(separator: ","))]}"#.utf8)
    }

    struct BenchError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
