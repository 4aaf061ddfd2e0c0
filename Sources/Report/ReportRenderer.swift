import Assess
import KubeModel
import Plan

/// Renders an assessment (and optionally the plan made from it) for a person or a script.
///
/// Table (`-o table`): NAMESPACE KIND NAME PODS OLDEST TOKEN EXPIRES IN STATUS ACTION, sorted by
/// deadline, then a summary line. `-o wide` adds STRATEGY DEADLINE LIFETIME WINDOW CONFIRMED
/// (pods with audit evidence / pods in scope) REASON.
/// `-o json`: see `ReportJSON` for the schema.
public struct ReportRenderer: Sendable {
    public let assessment: Assessment
    public let plan: Plan?
    public let options: ReportOptions

    /// The plan's decisions and forecast by workload (looked up once per row).
    let decisions: [WorkloadID: Decision]
    let forecasts: [WorkloadID: ForecastEntry]

    public init(assessment: Assessment, plan: Plan? = nil, options: ReportOptions = ReportOptions()) {
        self.assessment = assessment
        self.plan = plan
        self.options = options
        var decisions: [WorkloadID: Decision] = [:]
        for decision in plan?.decisions ?? [] { decisions[decision.workload] = decision }
        var forecasts: [WorkloadID: ForecastEntry] = [:]
        for entry in plan?.forecast ?? [] { forecasts[entry.workload] = entry }
        self.decisions = decisions
        self.forecasts = forecasts
    }

    /// The complete output for `options.format` (table + summary line, or the JSON document).
    public func render() -> String {
        switch options.format {
        case .table: return table(wide: false) + summaryLine() + "\n"
        case .wide: return table(wide: true) + summaryLine() + "\n"
        case .json:
            var out: [UInt8] = []
            write { out.append(contentsOf: $0) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The same output as `render()`, handed to `emit` in pieces: JSON workload by workload, so
    /// a large report is written without being held whole (a table needs every row's width first
    /// and comes in one piece).
    public func write(_ emit: ([UInt8]) -> Void) {
        switch options.format {
        case .table, .wide: emit(Array(render().utf8))
        case .json: ReportJSON(renderer: self).write(emit)
        }
    }

    public var exitCode: Int32 { ReportExitCode.of(assessment) }

    var now: Timestamp { assessment.generatedAt }

    /// Workloads shown, in deadline order.
    var shown: [WorkloadAssessment] {
        assessment.workloads.filter { options.includeOutOfScope || $0.classification != .outOfScope }
    }

    public func table(wide: Bool) -> String {
        let rows = shown.map { row($0, wide: wide) }
        if rows.isEmpty { return "No workloads with API tokens found.\n" }
        return Self.columns([Self.header(wide: wide)] + rows)
    }

    /// The table's column names (one per cell of `row`).
    static func header(wide: Bool) -> [String] {
        var header = ["NAMESPACE", "KIND", "NAME", "PODS", "OLDEST TOKEN", "EXPIRES IN", "STATUS", "ACTION"]
        if wide { header += ["STRATEGY", "DEADLINE", "LIFETIME", "WINDOW", "CONFIRMED", "REASON"] }
        return header
    }

    func row(_ w: WorkloadAssessment, wide: Bool) -> [String] {
        let inScope = w.podsInScopeCount
        let pods = inScope == w.pods.count ? "\(inScope)" : "\(inScope)/\(w.pods.count)"
        let oldest = w.oldestTokenIssuedAt.map { HumanDuration.format(max(0, now - $0)) } ?? "-"
        var cells = [w.id.namespace, w.id.kind.kindName, w.id.name, pods, oldest, expiresIn(w), w.classification.displayName,
                     ActionText.text(w, decision: decisions[w.id], now: now)]
        if wide {
            let confirmed = w.pods.count { $0.confirmedStale }
            cells += [w.strategy.rawValue, w.deadline?.rfc3339 ?? "-", w.policy.tokenLifetime.description,
                      w.policy.maintenanceWindow?.spec ?? "always", inScope == 0 ? "-" : "\(confirmed)/\(inScope)", w.reason]
        }
        return cells
    }

    func expiresIn(_ w: WorkloadAssessment) -> String {
        switch w.classification {
        case .outOfScope: return "-"
        case .invalidated: return w.deadline.map { HumanDuration.until($0, from: now, pastPrefix: "invalid") } ?? "-"
        default:
            guard let deadline = w.deadline else { return "never" }
            return HumanDuration.until(deadline, from: now)
        }
    }

    /// `12 workloads: 2 expired, 3 at risk, 1 unprotectable, 6 ok`, plus forecast misses and
    /// invalid annotations when there are any.
    public func summaryLine() -> String {
        let counts = assessment.counts
        let listed = shown.count
        let labels: [(Classification, String)] = [
            (.confirmedStale, "confirmed stale"), (.invalidated, "invalidated"), (.expired, "expired"), (.atRisk, "at risk"),
            (.unconfirmed, "unconfirmed"), (.unprotectable, "unprotectable"), (.ok, "ok"),
        ]
        var parts = labels.compactMap { c, label in counts[c].map { "\($0) \(label)" } }
        if options.includeOutOfScope, let out = counts[.outOfScope] { parts.append("\(out) out of scope") }
        var line = "\(listed) workload\(listed == 1 ? "" : "s")"
        if !parts.isEmpty { line += ": " + parts.joined(separator: ", ") }
        if let misses = plan?.predictedMisses.count, misses > 0 {
            line += "; \(misses) would miss \(misses == 1 ? "its deadline" : "their deadlines") (windows/limits)"
        }
        let invalid = assessment.diagnostics.count
        if invalid > 0 { line += "; \(invalid) invalid annotation\(invalid == 1 ? "" : "s")" }
        if let cluster = options.clusterTokenLifetime {
            line += cluster.source == .fallback
                ? "; token lifetime \(cluster.lifetime) assumed (\(cluster.evidence))"
                : "; token lifetime \(cluster.lifetime) (\(cluster.evidence))"
        }
        return line
    }

    /// Left-aligned columns separated by three spaces (kubectl's tabwriter padding); also `audit`'s tables.
    public static func columns(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 3) }
            }
            out += line + "\n"
        }
        return out
    }
}
