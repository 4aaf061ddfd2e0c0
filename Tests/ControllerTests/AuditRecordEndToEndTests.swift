import Foundation
import KubeSim
import Testing
import TestSupport

/// `token-warden audit … --record` against the simulated cluster: exactly the pods that still
/// exist with the uid the audit events name get the evidence annotations, with the right times.
@Suite struct AuditRecordEndToEndTests {
    static let issuedAtKey = "token-warden.dev/stale-token-issued-at"
    static let seenAtKey = "token-warden.dev/stale-token-seen-at"

    /// The golden stale-token event, retargeted at `pod` (uid `uid`) with N = `seconds` at `time`.
    static func staleEvent(namespace: String, serviceAccount: String, pod: String?, uid: String?, seconds: Int, time: String) throws -> String {
        var event = try #require(try JSONSerialization.jsonObject(with: Fixtures.golden("audit/stale-token-event.json")) as? [String: Any])
        let subject = "system:serviceaccount:\(namespace):\(serviceAccount)"
        var user = try #require(event["user"] as? [String: Any])
        var extra: [String: [String]] = ["authentication.kubernetes.io/credential-id": ["JTI=\(UUID().uuidString.lowercased())"]]
        if let pod { extra["authentication.kubernetes.io/pod-name"] = [pod] }
        if let uid { extra["authentication.kubernetes.io/pod-uid"] = [uid] }
        user["username"] = subject
        user["extra"] = extra
        event["user"] = user
        event["stageTimestamp"] = time
        event["requestReceivedTimestamp"] = time
        event["annotations"] = ["authentication.k8s.io/stale-token": "subject: \(subject), seconds after warning threshold: \(seconds)"]
        return String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    static func podAnnotations(_ sim: KubeSim, _ name: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in sim.store.get(ResourceCatalog.pods, namespace: "shop", name: name)?.value
            .value(at: ["metadata", "annotations"])?.objectValue ?? [:] { out[key] = value.stringValue }
        return out
    }

    @Test func recordsEvidenceOnlyOnPodsThatStillExistWithTheSameUID() async throws {
        guard TokenWardenBinary.url != nil else {
            print("skipping: no token-warden binary next to the test runner")
            return
        }
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("shop")
        scenario.statefulSet("shop", "db", replicas: 3, ageDays: 200)
        // db-1 already carries evidence seen later than anything in the log.
        let objects = scenario.objects.map { object -> JSONValue in
            guard object["kind"]?.stringValue == "Pod", object.value(at: ["metadata", "name"])?.stringValue == "db-1" else { return object }
            var pod = object
            pod.set(.string("2026-12-01T00:00:00Z"), at: ["metadata", "annotations", Self.seenAtKey])
            return pod
        }
        let sim = try SimServer.start(objects: objects)
        defer { sim.stop() }
        func uid(_ name: String) throws -> String {
            try #require(sim.store.get(ResourceCatalog.pods, namespace: "shop", name: name)?.value.value(at: ["metadata", "uid"])?.stringValue)
        }
        let lines = [
            // db-0: the pod is there with this uid; the later use (larger N) is the one recorded.
            try Self.staleEvent(namespace: "shop", serviceAccount: "db", pod: "db-0", uid: try uid("db-0"), seconds: 1000, time: "2026-11-30T10:00:00Z"),
            try Self.staleEvent(namespace: "shop", serviceAccount: "db", pod: "db-0", uid: try uid("db-0"), seconds: 4600, time: "2026-11-30T11:00:00Z"),
            try Self.staleEvent(namespace: "shop", serviceAccount: "db", pod: "db-1", uid: try uid("db-1"), seconds: 50, time: "2026-11-30T10:00:00Z"),
            // db-2 was recreated since: the log names its predecessor's uid.
            try Self.staleEvent(namespace: "shop", serviceAccount: "db", pod: "db-2", uid: "uid-of-an-earlier-db-2", seconds: 70, time: "2026-11-30T10:00:00Z"),
            try Self.staleEvent(namespace: "shop", serviceAccount: "db", pod: "db-9", uid: "uid-gone", seconds: 80, time: "2026-11-30T10:00:00Z"),
            try Self.staleEvent(namespace: "shop", serviceAccount: "cron", pod: nil, uid: nil, seconds: 90, time: "2026-11-30T10:00:00Z"),
        ]
        // As `aws logs filter-log-events` prints them: the EKS export is what --record reads here.
        let document: [String: Any] = ["events": lines.enumerated().map { ["logStreamName": "kube-apiserver-audit-1", "timestamp": $0, "message": $1] }]
        let dir = try SimServer.temporaryDirectory("audit-record")
        let log = dir.appendingPathComponent("events.json")
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: log)
        let kubeconfig = dir.appendingPathComponent("config").path
        try sim.writeKubeconfig(path: kubeconfig)

        let (dryStatus, dry) = try await TokenWardenBinary.run(["audit", "--kubeconfig", kubeconfig, "--no-progress", "--record", "--dry-run", log.path])
        #expect(dryStatus == 0)
        #expect(dry.contains("would record  pod shop/db-0"), "\(dry)")
        #expect(Self.podAnnotations(sim, "db-0")[Self.seenAtKey] == nil)
        #expect(!sim.requestLog.all.contains { $0.verb == "patch" })

        // Piped, as in `aws logs filter-log-events … | token-warden audit - --record`.
        let piped = try await ChildProcess.runAsync(
            try #require(TokenWardenBinary.url).path, ["audit", "--kubeconfig", kubeconfig, "--no-progress", "--record", "-"],
            stdin: Array(try Data(contentsOf: log)), timeoutSeconds: 120)
        let (status, text) = (piped.status, piped.output)
        #expect(status == 0, "\(text)")
        // Seen 11:00:00 with N = 4600: issued at seen − (4600 + 3607) s = 08:43:13.
        #expect(Self.podAnnotations(sim, "db-0")[Self.issuedAtKey] == "2026-11-30T08:43:13Z")
        #expect(Self.podAnnotations(sim, "db-0")[Self.seenAtKey] == "2026-11-30T11:00:00Z")
        #expect(Self.podAnnotations(sim, "db-1")[Self.seenAtKey] == "2026-12-01T00:00:00Z")
        #expect(Self.podAnnotations(sim, "db-1")[Self.issuedAtKey] == nil)
        #expect(Self.podAnnotations(sim, "db-2")[Self.seenAtKey] == nil)
        let patched = sim.requestLog.all.filter { $0.verb == "patch" }.map(\.name)
        #expect(patched == ["db-0"])
        #expect(text.contains("recorded      pod shop/db-0"), "\(text)")
        #expect(text.contains("skipped       pod shop/db-1") && text.contains("already recorded"), "\(text)")
        #expect(text.contains("skipped       pod shop/db-2") && text.contains("uid changed"), "\(text)")
        #expect(text.contains("skipped       pod shop/db-9") && text.contains("pod gone"), "\(text)")
        #expect(text.contains("no pod named"), "\(text)")
        #expect(text.contains("recorded evidence on 1 pod(s), skipped 4, failed 0"), "\(text)")
    }
}
