import Foundation
import KubeModel
import Evidence
import Testing
import TestSupport
@testable import APIClient

/// Fuzzing of what arrives from the network or from disk: the watch line splitter, the watch
/// event decoder and the audit log reader. Broken input is an error value, never a crash.
@Suite struct StreamFuzzTests {
    /// Lines come out exactly as a plain split would give them, wherever the chunks break, and
    /// no line longer than the limit ever comes out.
    @Test func theLineSplitterMatchesAPlainSplitForAnyChunking() {
        FuzzBudget.run(cases: 2000) { generator, _ in
            let limit = Int.random(in: 1...64, using: &generator)
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                let length = Int.random(in: 0...80, using: &generator)
                input += (0..<length).map { _ in [UInt8(ascii: "a"), 0x0D, 0xC3, 0xA9, 0x7B].randomElement(using: &generator)! }
                input.append(0x0A)
            }
            if Bool.random(using: &generator) { input += Array("tail".utf8) }
            var splitter = LineSplitter(maximumLineLength: limit)
            var lines: [[UInt8]] = []
            var overflowed = false
            var offset = 0
            while offset < input.count {
                let end = min(input.count, offset + Int.random(in: 1...40, using: &generator))
                do {
                    lines += try splitter.feed(Array(input[offset..<end]))
                } catch {
                    overflowed = true
                }
                offset = end
            }
            if let rest = splitter.finish() { lines.append(rest) }
            for line in lines { #expect(line.count <= limit, "a \(line.count)-byte line passed a \(limit)-byte limit") }
            let expected = input.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> [UInt8] in
                line.last == 0x0D ? Array(line.dropLast()) : Array(line)
            }.filter { !$0.isEmpty }
            if !overflowed && expected.allSatisfy({ $0.count <= limit }) {
                #expect(lines == expected)
            }
        }
    }

    static func goldenLines(_ name: String) throws -> [[UInt8]] {
        let data = try Fixtures.golden(name)
        return Array(data).split(separator: 0x0A).map(Array.init)
    }

    /// Mutated watch lines (truncated, flipped, with junk) decode to an event or throw a
    /// decoding error that says it was a watch event; nothing else.
    @Test func mutatedWatchLinesDecodeOrFailClearly() throws {
        let lines = try Self.goldenLines("watch/pods-from-rv.jsonl") + Self.goldenLines("watch/pods-sendinitialevents.jsonl")
            + Self.goldenLines("watch/pods-too-old-rv.jsonl")
        #expect(!lines.isEmpty)
        let decoder = FoundationObjectDecoder()
        FuzzBudget.run(cases: 1500) { generator, _ in
            let line = FuzzText.mutate(lines.randomElement(using: &generator)!, using: &generator)
            do {
                _ = try KubeClient.decodeEvent(Pod.self, line, decoder: decoder, path: "/api/v1/pods")
            } catch let error as APIError {
                guard case .decoding(let what, _, let detail) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(what == "watch event" && !detail.isEmpty)
            } catch {
                Issue.record("not an APIError: \(error)")
            }
        }
    }

    /// The cases the issue names, one by one: each a clear decoding error.
    @Test(arguments: [
        #"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a""#,           // truncated
        #"{"type":"EXPLODED","object":{}}"#,                                        // unknown event type
        #"{"type":"ADDED","object":{"kind":"Pod"}}"#,                               // no metadata
        #"{"type":"ADDED","object":{"metadata":{"namespace":"x"},"spec":{}}}"#,     // no name
        #"{"object":{"metadata":{"name":"a"}}}"#,                                   // no type
        #"not json at all"#,
        #"{"type":"ADDED","object":[1,2,3]}"#,
        #"{"type":"ERROR","object":"gone"}"#,
    ])
    func brokenWatchLinesAreClearErrors(_ line: String) {
        #expect(throws: APIError.self) {
            _ = try KubeClient.decodeEvent(Pod.self, Array(line.utf8), decoder: FoundationObjectDecoder(), path: "/api/v1/pods")
        }
    }

    /// Audit logs with mutated, truncated and oversized lines: every line is counted as an event
    /// or as malformed/oversized, and the reader never stops early.
    @Test func mutatedAuditLogsAreReadToTheEnd() throws {
        let event = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: try Fixtures.golden("audit/stale-token-event.json")))
        let valid = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: try Fixtures.golden("audit/valid-sa-token-event.json")))
        FuzzBudget.run(cases: 400) { generator, _ in
            var log: [UInt8] = []
            let count = Int.random(in: 1...30, using: &generator)
            for _ in 0..<count {
                let base = Array(Bool.random(using: &generator) ? event : valid)
                let line = Int.random(in: 0..<3, using: &generator) == 0 ? FuzzText.mutate(base, using: &generator) : base
                let kept = line.filter { $0 != 0x0A && $0 != 0x0D }
                log += kept.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? Array("x".utf8) : kept  // a blank line is no line
                log.append(0x0A)
            }
            if Int.random(in: 0..<5, using: &generator) == 0 { log += [UInt8](repeating: 0x7B, count: 5000) }  // oversized, unterminated
            var reader = AuditLogReader(options: .init(maximumLineLength: 4096))
            reader.read(bytes: log)
            let summary = reader.report().summary
            #expect(summary.lines >= count, "\(summary)")
        }
    }

    /// Provider exports (an EKS `filter-log-events` document, AKS record lines) mutated and cut
    /// anywhere: the reader reads to the end and never counts more lines or events than the
    /// export could hold.
    @Test func mutatedExportedAuditLogsAreReadToTheEnd() throws {
        let event = String(decoding: try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: try Fixtures.golden("audit/stale-token-event.json")),
            options: [.withoutEscapingSlashes]), as: UTF8.self)
        FuzzBudget.run(cases: 300) { generator, index in
            let count = Int.random(in: 1...8, using: &generator)
            let messages = Array(repeating: event, count: count)
            let export: [UInt8]
            if index % 2 == 0 {
                let document: [String: Any] = ["events": messages.enumerated().map { ["eventId": "\($0)", "message": $1] }]
                export = Array(try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]))
            } else {
                export = Array(messages.map { message in
                    String(decoding: try! JSONSerialization.data(withJSONObject: ["category": "kube-audit", "properties": ["log": message]]), as: UTF8.self)
                }.joined(separator: "\n").utf8)
            }
            let log = FuzzText.mutate(export, using: &generator)
            var reader = AuditLogReader(options: .init(maximumLineLength: 1 << 16))
            reader.read(bytes: log)
            let report = reader.report()
            let newlines = log.filter { $0 == 0x0A }.count + 1
            #expect(report.summary.lines <= count + newlines + 4, "\(report.summary)")
            #expect(report.summary.events <= count * 2, "\(report.summary)")
        }
    }
}
