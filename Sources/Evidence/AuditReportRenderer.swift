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
            out += columns(rows)
        }
        if !report.invalidatedLegacyTokens.isEmpty {
            out += "\nInvalidated legacy Secret tokens still in use:\n"
            var rows = [["NAMESPACE", "SECRET", "REQUESTS", "LAST SEEN"]]
            for secret in report.invalidatedLegacyTokens {
                rows.append([secret.namespace, secret.secret, String(secret.requests), secret.lastSeen?.rfc3339 ?? "<unknown>"])
            }
            out += columns(rows)
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// kubectl's `duration.HumanDuration`: 90s, 5m30s, 2h5m, 3d4h, 400d, 2y30d (the report's own).
    public static func humanDuration(seconds: Int64) -> String {
        HumanDuration.format(seconds)
    }

    /// Left-aligned columns separated by three spaces, as kubectl prints.
    static func columns(_ rows: [[String]]) -> String {
        guard let width = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 3) }
            }
            out += line + "\n"
        }
        return out
    }
}
