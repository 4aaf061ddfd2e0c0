import Foundation
import TestSupport

/// Builds audit log lines and files for the tests (the shapes follow the golden samples).
enum AuditFixtureBuilder {
    static func event(
        apiVersion: String = "audit.k8s.io/v1", stage: String = "ResponseComplete", time: String,
        username: String, extra: [String: [String]] = [:], annotations: [String: String] = [:], code: Int = 200
    ) -> String {
        let object: [String: Any] = [
            "kind": "Event", "apiVersion": apiVersion, "level": "Metadata", "auditID": UUID().uuidString.lowercased(),
            "stage": stage, "requestURI": "/api/v1/namespaces/default/configmaps?limit=1", "verb": "list",
            "user": ["username": username, "groups": ["system:authenticated"], "extra": extra],
            "sourceIPs": ["10.0.0.7"], "userAgent": "legacy-client/0.1",
            "objectRef": ["resource": "configmaps", "namespace": "default", "apiVersion": "v1"],
            "responseStatus": ["metadata": [String: String](), "code": code],
            "requestReceivedTimestamp": time, "stageTimestamp": time,
            "annotations": annotations.merging(["authorization.k8s.io/decision": "allow"]) { a, _ in a },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func stale(
        namespace: String, serviceAccount: String, pod: String?, uid: String?, seconds: Int64, time: String,
        stage: String = "ResponseComplete"
    ) -> String {
        var extra: [String: [String]] = ["authentication.kubernetes.io/credential-id": ["JTI=abc"]]
        if let pod { extra["authentication.kubernetes.io/pod-name"] = [pod] }
        if let uid { extra["authentication.kubernetes.io/pod-uid"] = [uid] }
        let subject = "system:serviceaccount:\(namespace):\(serviceAccount)"
        return event(stage: stage, time: time, username: subject, extra: extra, annotations: [
            "authentication.k8s.io/stale-token": "subject: \(subject), seconds after warning threshold: \(seconds)",
        ])
    }

    static func valid(time: String = "2026-11-23T09:00:00Z") -> String {
        event(time: time, username: "system:serviceaccount:shop:fresh", extra: [
            "authentication.kubernetes.io/pod-name": ["fresh-1"], "authentication.kubernetes.io/pod-uid": ["uid-fresh"],
        ])
    }

    /// Compresses with the system's gzip (one member).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let outcome = try ChildProcess.run("/usr/bin/gzip", ["-c", "-n"], stdin: bytes)
        guard outcome.status == 0 else { throw ChildProcess.SpawnError(description: "gzip: \(outcome.errorOutput)") }
        return outcome.stdout
    }

    static func lines(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("observe-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
