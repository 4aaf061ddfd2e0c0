import Foundation
import KubeModel
import Testing
@testable import Evidence

/// `token-warden audit` on the managed providers' exports: the same evidence as from the raw log.
@Suite struct ExportedAuditLogTests {
    typealias F = AuditFixtureBuilder
    typealias X = ExportedAuditFixtures

    /// One raw audit log: stale tokens of three pods, fresh requests, an invalidated legacy
    /// Secret token, a malformed line and an event of an unknown version.
    static let raw: [String] = [
        F.stale(namespace: "shop", serviceAccount: "legacy", pod: "web-1", uid: "uid-a", seconds: 100, time: "2026-11-30T09:00:00Z"),
        F.valid(),
        F.stale(namespace: "shop", serviceAccount: "legacy", pod: "web-1", uid: "uid-a", seconds: 250, time: "2026-11-30T09:30:00Z"),
        F.stale(namespace: "batch", serviceAccount: "old", pod: "job-x", uid: "uid-b", seconds: 5000, time: "2026-11-30T09:40:00Z"),
        F.event(time: "2026-11-30T09:45:00Z", username: "", annotations: [
            "authentication.k8s.io/legacy-token-invalidated": "legacy-secret/shop",
        ], code: 401),
        "not json at all",
        F.valid().replacingOccurrences(of: "audit.k8s.io/v1", with: "audit.k8s.io/v2"),
        F.stale(namespace: "ops", serviceAccount: "cron", pod: "cron-9", uid: "uid-c", seconds: 7, time: "2026-11-30T09:50:00Z"),
        F.valid(),
    ]

    static func read(_ text: String, name: String = "log", gzip: Bool = false) throws -> AuditEvidenceReport {
        var reader = AuditLogReader()
        reader.read(bytes: gzip ? try F.gzip(Array(text.utf8)) : Array(text.utf8), name: name)
        return reader.report()
    }

    /// The JSON `audit -o json` prints, without the byte count (the copies differ in size).
    static func output(_ report: AuditEvidenceReport) throws -> String {
        var report = report
        report.summary.bytesRead = 0
        return try AuditReportRenderer.json(report)
    }

    @Test func everyExportShapeGivesTheRawLogsOutput() throws {
        let expected = try Self.output(Self.read(Self.raw.joined(separator: "\n") + "\n"))
        let baseline = try Self.read(Self.raw.joined(separator: "\n") + "\n")
        #expect(baseline.staleTokenPods.map(\.podUID) == ["uid-b", "uid-a", "uid-c"])
        #expect(baseline.summary.malformedLines == 1 && baseline.summary.unknownVersionEvents == 1)

        let copies: [(String, String)] = [
            ("EKS aws logs filter-log-events (pretty)", X.eksFilterLogEvents(Self.raw)),
            ("EKS aws logs filter-log-events (compact)", X.eksFilterLogEvents(Self.raw, pretty: false)),
            ("EKS subscription payloads via Firehose", X.eksSubscription(Self.raw)),
            ("EKS export task to S3", X.eksExportTask(Self.raw)),
            ("AKS Event Hub records", X.aksEventHub(Self.raw)),
            ("AKS storage account", X.aksStorage(Self.raw)),
        ]
        for (shape, text) in copies {
            #expect(try Self.output(Self.read(text)) == expected, "\(shape)")
            #expect(try Self.output(Self.read(text, gzip: true)) == expected, "\(shape), gzip")
        }
    }

    @Test func aPrettyDocumentSplitAtEveryChunkBoundaryReadsTheSame() throws {
        let text = Array(X.eksFilterLogEvents(Array(Self.raw.prefix(4))).utf8)
        let expected = try Self.output(Self.read(String(decoding: text, as: UTF8.self)))
        for size in [1, 7, 64, 1000] {
            var scanner = ExportedAuditEnvelopeScanner(maximumMessageLength: 1 << 20)
            var messages: [String] = []
            for start in stride(from: 0, to: text.count, by: size) {
                text[start..<min(start + size, text.count)].withUnsafeBytes { chunk in
                    _ = scanner.feed(chunk) { messages.append(String(decoding: $0, as: UTF8.self)) }
                }
            }
            let complete = scanner.finish()
            #expect(complete)
            #expect(messages == Array(Self.raw.prefix(4)), "chunk size \(size)")
        }
        #expect(expected.contains("uid-b"))
    }

    @Test func malformedWrappersCountLikeMalformedLines() throws {
        // A pretty document cut off in the middle: what came before counts, the rest is one malformed line.
        let whole = X.eksFilterLogEvents(Self.raw)
        let cut = String(whole.prefix(whole.count / 2))
        let truncated = try Self.read(cut, name: "cut.json")
        #expect(truncated.summary.malformedLines == 1 + (truncated.summary.lines < 6 ? 0 : 1))
        #expect(truncated.problems.contains { $0.contains("cut.json") && $0.contains("truncated") })
        #expect(truncated.summary.events > 0 && truncated.summary.events < 7)

        // AKS lines: one wrapper broken, the others read.
        var lines = X.aksStorage(Self.raw).split(separator: "\n").map(String.init)
        lines[0] = String(lines[0].prefix(lines[0].count - 5))
        let broken = try Self.read(lines.joined(separator: "\n") + "\n")
        #expect(broken.summary.malformedLines == 2)  // the broken wrapper and the raw malformed message
        #expect(broken.summary.lines == Self.raw.count)
        #expect(broken.staleTokenPods.first { $0.podUID == "uid-a" }?.requests == 1)

        // A document that is not JSON after its first line.
        let garbage = try Self.read("{\n  \"events\": [\n    {\"message\": \"x\"} ]]]\n")
        #expect(garbage.summary.malformedLines >= 1)
        #expect(garbage.problems.contains { $0.contains("not valid JSON") })
    }

    @Test func rawLogsAreReadAsBeforeEvenWhenTheirFirstLineIsBroken() throws {
        // A truncated first event must not make the reader take the file for one JSON document.
        let text = [#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"#] + Self.raw
        let report = try Self.read(text.joined(separator: "\n") + "\n")
        let expected = try Self.read(Self.raw.joined(separator: "\n") + "\n")
        #expect(report.summary.malformedLines == expected.summary.malformedLines + 1)
        #expect(report.staleTokenPods == expected.staleTokenPods)
        // JSON that is no export and no audit event stays an unknown version, as before.
        #expect(try Self.read(#"{"hello":"world"}"# + "\n").summary.unknownVersionEvents == 1)
    }

    @Test(arguments: [
        (#"{"events":[{"message":"x"} {"message":"y"}]}"#, false),  // missing comma
        (#"{"events":[{"message":"x"},]}"#, false),                 // trailing comma
        (#"{"events" [{"message":"x"}]}"#, false),                  // missing colon
        (#"{"events":[{"message":"x":1}]}"#, false),
        (#"{"events":[{"message"}]}"#, false),
        (#"{"events":[]}"#, true), (#"{}"#, true), (#"[]"#, true),
        (#"{"events":[{"message":"x","n":[1,2.5e3,true,null,{"a":[]}]}]}{"records":[]}"#, true),
    ])
    func envelopeGrammarIsChecked(_ text: String, valid: Bool) {
        var scanner = ExportedAuditEnvelopeScanner(maximumMessageLength: 1024)
        let fed = Array(text.utf8).withUnsafeBytes { scanner.feed($0) { _ in } }
        let complete = scanner.finish()
        #expect((fed && complete) == valid, "\(text)")
    }

    @Test func escapesInMessagesAreDecoded() {
        #expect(JSONStringUnescaper.unescape(Array(#"a\"b\\c\/d\n\u00e9\ud83d\ude00"#.utf8)) == Array("a\"b\\c/d\né😀".utf8))
        #expect(JSONStringUnescaper.unescape(Array(#"bad \x"#.utf8)) == nil)
        #expect(JSONStringUnescaper.unescape(Array(#"\ud800 lone"#.utf8)) == Array("\u{FFFD} lone".utf8))
    }
}
