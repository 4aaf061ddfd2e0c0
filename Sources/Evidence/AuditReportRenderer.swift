import Foundation
import KubeModel
import Report

/// Renders an `AuditEvidenceReport` as `token-warden audit` prints it: kubectl-style columns or JSON.
public enum AuditReportRenderer {
    /// The tables and the summary line; `report.problems` are left to the caller (stderr).
    public static func table(_ report: AuditEvidenceReport) -> String {
        var out = ""
        let withWorkloads = report.staleTokenPods.contains { $0.workload != nil }
        if report.staleTokenPods.isEmpty {
            out += "No pod presented a stale token.\n"
        } else {
            var header = ["NAMESPACE", "POD", "SERVICE ACCOUNT"]
            if withWorkloads { header.append("WORKLOAD") }
            header += ["TOKEN AGE", "SECONDS PAST WARNING", "REQUESTS", "LAST SEEN"]
            var rows = [header]
            for pod in report.staleTokenPods {
                var row = [pod.namespace, pod.pod ?? "<unknown>", pod.serviceAccount]
                if withWorkloads { row.append(pod.workload.map { "\($0.kind)/\($0.name)" } ?? "<none>") }
                row += [
                    humanDuration(seconds: pod.tokenAgeSeconds), String(pod.maxSecondsAfterWarning),
                    String(pod.requests), pod.lastSeen?.rfc3339 ?? "<unknown>",
                ]
                rows.append(row)
            }
            out += ReportRenderer.columns(rows)
        }
        if !report.invalidatedLegacyTokens.isEmpty {
            out += "\nInvalidated legacy Secret tokens still in use:\n"
            var rows = [["NAMESPACE", "SECRET", "REQUESTS", "LAST SEEN"]]
            for secret in report.invalidatedLegacyTokens {
                rows.append([secret.namespace, secret.secret, String(secret.requests), secret.lastSeen?.rfc3339 ?? "<unknown>"])
            }
            out += ReportRenderer.columns(rows)
        }
        out += "\n" + summaryLine(report.summary) + "\n"
        return out
    }

    public static func summaryLine(_ summary: AuditScanSummary) -> String {
        var parts = [
            "\(summary.files) file(s)", "\(summary.lines) lines", "\(summary.events) events",
            "\(summary.staleTokenEvents) stale-token", "\(summary.legacyTokenInvalidatedEvents) legacy-invalidated",
            "\(summary.legacyTokenUsedEvents) legacy-used", "\(summary.malformedLines) malformed",
            "\(summary.unknownVersionEvents) unknown version",
        ]
        if summary.oversizedLines > 0 { parts.append("\(summary.oversizedLines) oversized") }
        if summary.truncatedFiles > 0 { parts.append("\(summary.truncatedFiles) truncated gzip") }
        if summary.corruptFiles > 0 { parts.append("\(summary.corruptFiles) corrupt gzip") }
        if summary.unreadableFiles > 0 { parts.append("\(summary.unreadableFiles) unreadable") }
        return "Read " + parts.joined(separator: ", ") + "."
    }

    /// Pretty-printed JSON with sorted keys (stable for scripts and tests).
    public static func json(_ report: AuditEvidenceReport) throws -> String {
        var out: [UInt8] = []
        try writeJSON(report) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoder of `-o json`; `writeJSON` writes what it makes of a whole report.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The same bytes as `json(_:)` (the encoder's output for the whole report, then a newline),
    /// handed to `emit` in chunks of about 64 KB: the pods and secrets are encoded one at a time
    /// and placed at their depth, so the document is never held whole.
    public static func writeJSON(_ report: AuditEvidenceReport, _ emit: ([UInt8]) -> Void) throws {
        let encoder = jsonEncoder()
        let chunkSize = 1 << 16
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + chunkSize / 4)
        // A pretty-printed value placed `depth` levels in: every line after its first is indented
        // by two spaces a level, except the blank line of an empty container (`[\n\n]`). The only
        // raw newlines in the encoder's output are its own.
        func encoded<T: Encodable>(_ value: T, depth: Int) throws -> [UInt8] {
            let data = Array(try encoder.encode(value))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(data.count + data.count / 4)
            for (i, byte) in data.enumerated() {
                bytes.append(byte)
                if byte == UInt8(ascii: "\n"), i + 1 < data.count, data[i + 1] != UInt8(ascii: "\n") {
                    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
                }
            }
            return bytes
        }
        func key(_ name: String) { out.append(contentsOf: "  \"\(name)\" : ".utf8) }
        func array<T: Encodable>(_ items: [T]) throws {
            if items.isEmpty {
                out.append(contentsOf: try encoded(items, depth: 1))
                return
            }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                out.append(contentsOf: "    ".utf8)
                out.append(contentsOf: try encoded(item, depth: 2))
                out.append(contentsOf: (i == items.count - 1 ? "\n" : ",\n").utf8)
                if out.count >= chunkSize {
                    emit(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            out.append(contentsOf: "  ]".utf8)
        }
        // The members in the order `.sortedKeys` gives them.
        out.append(contentsOf: "{\n".utf8)
        key("invalidatedLegacyTokens")
        try array(report.invalidatedLegacyTokens)
        out.append(contentsOf: ",\n".utf8)
        key("problems")
        out.append(contentsOf: try encoded(report.problems, depth: 1))
        out.append(contentsOf: ",\n".utf8)
        key("staleTokenPods")
        try array(report.staleTokenPods)
        out.append(contentsOf: ",\n".utf8)
        key("summary")
        out.append(contentsOf: try encoded(report.summary, depth: 1))
        out.append(contentsOf: "\n}\n".utf8)
        emit(out)
    }

    /// kubectl's `duration.HumanDuration`: 90s, 5m30s, 2h5m, 3d4h, 400d, 2y30d (the report's own).
    public static func humanDuration(seconds: Int64) -> String {
        HumanDuration.format(seconds)
    }
}
