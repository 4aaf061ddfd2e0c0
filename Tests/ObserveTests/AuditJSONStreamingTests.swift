import Foundation
import KubeModel
import Testing
@testable import Evidence

/// `audit -o json` is written pod by pod; the bytes are the encoder's output for the whole
/// report (pretty-printed, sorted keys, slashes unescaped), then a newline.
@Suite struct AuditJSONStreamingTests {
    static func whole(_ report: AuditEvidenceReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report)) + [UInt8(ascii: "\n")]
    }

    static func streamed(_ report: AuditEvidenceReport) throws -> (bytes: [UInt8], chunks: Int) {
        var bytes: [UInt8] = []
        var chunks = 0
        try AuditReportRenderer.writeJSON(report) { bytes.append(contentsOf: $0); chunks += 1 }
        return (bytes, chunks)
    }

    static func report(pods: Int, secrets: Int) -> AuditEvidenceReport {
        var aggregator = AuditEvidenceAggregator()
        for i in 0..<pods {
            // Every third without a pod name or uid (the API server recorded none): optional keys left out.
            let named = i % 3 != 0
            aggregator.add(StaleTokenObservation(
                namespace: "ns-\(i % 7)", serviceAccount: "sa/\(i % 5)\n\"quoted\"", podName: named ? "pod-\(i)" : nil,
                podUID: named ? "uid-\(i)" : nil, secondsAfterWarning: Int64(i * 37),
                time: i % 4 == 0 ? nil : Timestamp(seconds: 1_790_000_000 + Int64(i))))
        }
        for i in 0..<secrets {
            aggregator.add(AuditEventEvidence(
                staleToken: nil,
                legacyTokenInvalidated: LegacyTokenObservation(namespace: "ns-\(i)", secretName: "legacy-\(i)",
                                                               time: Timestamp(seconds: 1_790_000_000), isFinalStage: true),
                legacyTokenUsed: true))
        }
        aggregator.addProblem("/var/log/audit-2.log.gz: gzip stream is truncated; read what was complete")
        var report = aggregator.report()
        report.summary.files = 2
        report.summary.lines = 12_345
        report.joinWorkloads(["uid-1": WorkloadReference(namespace: "ns-1", kind: "Deployment", name: "web")])
        return report
    }

    @Test(arguments: [(0, 0), (1, 0), (0, 1), (5, 3), (3_000, 40)])
    func streamedBytesEqualTheWholeEncoding(_ pods: Int, _ secrets: Int) throws {
        let report = Self.report(pods: pods, secrets: secrets)
        let (bytes, chunks) = try Self.streamed(report)
        #expect(bytes == (try Self.whole(report)))
        #expect(Array(try AuditReportRenderer.json(report).utf8) == bytes)
        if pods >= 3_000 { #expect(chunks > 1) }  // a large report leaves in several pieces
    }

    @Test func emptyReport() throws {
        let report = AuditEvidenceReport(summary: AuditScanSummary(), staleTokenPods: [], invalidatedLegacyTokens: [], problems: [])
        #expect(try Self.streamed(report).bytes == (try Self.whole(report)))
    }
}
