import Assess
import Foundation
import KubeModel
import Logging
import Synchronization
import Testing
import TestSupport
@testable import Evidence
@testable import Observe

@Suite struct AuditEvidenceTests {
    @Test func goldenAuditLinesAreReadCorrectly() throws {
        var reader = AuditLogReader()
        let stale = try Fixtures.golden("audit/stale-token-event.json")
        let valid = try Fixtures.golden("audit/valid-sa-token-event.json")
        reader.read(bytes: Array(stale) + [10] + Array(valid), name: "golden")
        let report = reader.report()
        #expect(report.summary.events == 2)
        #expect(report.summary.staleTokenEvents == 1)
        #expect(report.summary.malformedLines == 0)
        #expect(report.staleTokenPods == [
            PodStaleTokenEvidence(
                namespace: "auditdemo", pod: "legacy-app-0", podUID: "460651b8-d445-4da7-8b5b-66c269fb6a50",
                serviceAccount: "legacy-app", maxSecondsAfterWarning: 3593, tokenAgeSeconds: 7200, requests: 1,
                firstSeen: Timestamp(rfc3339: "2026-11-23T18:37:38Z"), lastSeen: Timestamp(rfc3339: "2026-11-23T18:37:38Z")),
        ])
    }

    @Test func goldenWebhookBodyParses() throws {
        let body = Array(try Fixtures.golden("audit/webhook-eventlist-with-stale-token.json"))
        let headers = String(decoding: try Fixtures.golden("audit/webhook-eventlist-with-stale-token.headers"), as: UTF8.self)
        #expect(headers.hasPrefix("POST /audit?timeout=30s"))
        #expect(headers.contains("Content-Type: application/json"))

        let batch = try AuditWebhookReceiver.parse(body: body)
        #expect(batch.apiVersion == "audit.k8s.io/v1")
        #expect(batch.events == 5)
        #expect(batch.staleTokens == [
            StaleTokenObservation(
                namespace: "auditdemo", serviceAccount: "legacy-app", podName: "legacy-app-0",
                podUID: "460651b8-d445-4da7-8b5b-66c269fb6a50", secondsAfterWarning: 5393,
                time: Timestamp(rfc3339: "2026-11-23T18:43:37Z")),
        ])
        #expect(batch.staleTokens[0].tokenAgeSeconds == 9000)
    }

    @Test func webhookMarksPodsConfirmedStale() throws {
        let body = Array(try Fixtures.golden("audit/webhook-eventlist-with-stale-token.json"))
        let notified = NotifiedPods()
        let store = StaleTokenEvidenceStore(onNewEvidence: { pods in notified.add(pods.map(\.podUID)) })
        let metrics = WardenMetrics()
        let sink = LogLineSink.memory()
        let receiver = AuditWebhookReceiver(
            store: store, metrics: metrics, logger: Logger(label: "audit") { JSONLogHandler(label: $0, sink: sink) },
            clock: { Timestamp(seconds: 1_795_460_000) })

        #expect(receiver.receive(body: body, contentType: "application/json").status == 200)
        _ = receiver.receive(body: body, contentType: nil)  // same batch again

        let uid = "460651b8-d445-4da7-8b5b-66c269fb6a50"
        let confirmed = try #require(store.confirmed(podUID: uid))
        #expect(confirmed.namespace == "auditdemo")
        #expect(confirmed.podName == "legacy-app-0")
        #expect(confirmed.requests == 2)
        #expect(confirmed.tokenAgeSeconds == 9000)
        #expect(confirmed.tokenIssuedAt == confirmed.lastSeen - 9000)  // seen − (N + 3607 s)
        #expect(store.evidence()[uid] == TokenEvidence(
            source: .webhook, firstSeen: confirmed.firstSeen, lastSeen: confirmed.lastSeen, serviceAccount: "legacy-app",
            tokenIssuedAt: confirmed.lastSeen - 9000))
        #expect(notified.all == [uid])  // notified once, on first evidence
        #expect(store.confirmedPodUIDs == [uid])

        let page = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(page.contains(#"token_warden_audit_events_total{evidence="stale_token"} 2"#))
        #expect(page.contains(#"token_warden_audit_events_total{evidence="none"} 8"#))
        #expect(sink.lines.contains { $0.contains("pod confirmed stale") && $0.contains(uid) })

        #expect(receiver.receive(body: Array("nope".utf8), contentType: nil).status == 400)
        #expect(receiver.receive(body: Array(#"{"kind":"EventList","apiVersion":"audit.k8s.io/v9","items":[]}"#.utf8), contentType: nil).status == 400)
        #expect(receiver.receive(body: body, contentType: "application/vnd.kubernetes.protobuf").status == 415)
    }

    @Test func storeIsBoundedAndPrunable() {
        let store = StaleTokenEvidenceStore(capacity: 2, retentionSeconds: 100)
        func observation(_ uid: String?, at seconds: Int64) -> StaleTokenObservation {
            StaleTokenObservation(namespace: "n", serviceAccount: "s", podName: uid, podUID: uid, secondsAfterWarning: 1,
                                  time: Timestamp(seconds: seconds))
        }
        let generation = store.generation
        store.record([observation("a", at: 10), observation("b", at: 20), observation(nil, at: 5)], receivedAt: Timestamp(seconds: 0))
        #expect(store.confirmedPodUIDs == ["a", "b"])
        #expect(store.generation != generation)
        store.record([observation("c", at: 30)], receivedAt: Timestamp(seconds: 0))
        #expect(store.confirmedPodUIDs == ["b", "c"])  // least recently seen dropped
        #expect(store.prune(livePodUIDs: ["c"], now: Timestamp(seconds: 40)) == 1)
        #expect(store.confirmedPodUIDs == ["c"])
        #expect(store.prune(livePodUIDs: nil, now: Timestamp(seconds: 200)) == 1)
        #expect(store.confirmedPodUIDs.isEmpty)
    }

    @Test func annotationParsing() {
        let parsed = StaleTokenAnnotation("subject: system:serviceaccount:ns:sa, seconds after warning threshold: 42")
        #expect(parsed == StaleTokenAnnotation(subject: "system:serviceaccount:ns:sa", secondsAfterWarning: 42))
        #expect(StaleTokenAnnotation("subject: x, seconds after warning threshold: many") == nil)
        #expect(StaleTokenAnnotation("garbage") == nil)
        #expect(ServiceAccountName(username: "system:serviceaccount:ns:sa") == ServiceAccountName(namespace: "ns", name: "sa"))
        #expect(ServiceAccountName(username: "system:node:x") == nil)
    }
}

final class NotifiedPods: Sendable {
    private let uids = Mutex<[String]>([])
    func add(_ more: [String]) { uids.withLock { $0 += more } }
    var all: [String] { uids.withLock { $0 } }
}
