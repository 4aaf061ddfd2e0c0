import Assess
import KubeModel
import Plan

/// `token-warden report --context a --context b` (or `--all-contexts`): one report over several
/// clusters. Each reachable cluster is rendered by its own `ReportRenderer`; this adds a CLUSTER
/// column in front, merges the rows (most urgent deadline first across the fleet), and ends with
/// one summary line per cluster; one that could not be read (unreachable, forbidden, a context
/// that does not resolve) with its error.
///
/// Exit code: 2 only when no cluster could be read; otherwise 1 when any reachable cluster has
/// workloads needing a restart, else 0 (a cluster that could not be read is reported, not fatal).
/// `-o json`: `{ "apiVersion", "kind": "FleetTokenReport", "clusters": [ { "context", "read": bool,
/// "error": string|null, "report": <the TokenReport document>|null } ], "summary": { "clusters",
/// "read", "failed", "exitCode" } }`.
public struct FleetReportRenderer: Sendable {
    /// One cluster's outcome: its report, or why it could not be read.
    public struct Member: Sendable {
        public var context: String
        public var outcome: Result<ReportRenderer, FleetReadError>

        public init(context: String, outcome: Result<ReportRenderer, FleetReadError>) {
            self.context = context
            self.outcome = outcome
        }
    }

    public struct FleetReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public let members: [Member]
    public let options: ReportOptions

    public init(members: [Member], options: ReportOptions) {
        self.members = members
        self.options = options
    }

    var reachable: [(context: String, renderer: ReportRenderer)] {
        members.compactMap { member in
            if case .success(let renderer) = member.outcome { return (member.context, renderer) }
            return nil  // listed in the summary with its error
        }
    }

    public var exitCode: Int32 {
        let read = reachable
        if read.isEmpty { return ReportExitCode.error }
        return read.contains { $0.renderer.exitCode == ReportExitCode.atRisk } ? ReportExitCode.atRisk : ReportExitCode.clean
    }

    public func render() -> String {
        switch options.format {
        case .table: return table(wide: false) + summary()
        case .wide: return table(wide: true) + summary()
        case .json: return document().serialized()
        }
    }

    public func table(wide: Bool) -> String {
        let never = Timestamp(seconds: .max)
        var rows: [(deadline: Timestamp, urgency: Int, order: Int, cells: [String])] = []
        for (index, (context, renderer)) in reachable.enumerated() {
            for workload in renderer.shown {
                rows.append((workload.deadline ?? never, workload.classification.urgency, index, [context] + renderer.row(workload, wide: wide)))
            }
        }
        if rows.isEmpty { return reachable.isEmpty ? "" : "No workloads with API tokens found.\n" }
        // Stable: the clusters' own (deadline) order breaks ties.
        let sorted = rows.enumerated().sorted { a, b in
            (a.element.deadline, a.element.urgency, a.offset) < (b.element.deadline, b.element.urgency, b.offset)
        }.map(\.element.cells)
        return ReportRenderer.columns([["CLUSTER"] + ReportRenderer.header(wide: wide)] + sorted)
    }

    /// `cluster a: 12 workloads: 2 at risk, 10 ok` per cluster, `cluster b: not read: …`,
    /// and a fleet line when there is more than one cluster.
    public func summary() -> String {
        var lines: [String] = []
        for member in members {
            switch member.outcome {
            case .success(let renderer): lines.append("cluster \(member.context): \(renderer.summaryLine())")
            case .failure(let error): lines.append("cluster \(member.context): not read: \(error)")
            }
        }
        let read = reachable.count
        if members.count > 1 {
            let failed = members.count - read
            lines.append("\(members.count) clusters: \(read) read\(failed > 0 ? ", \(failed) not read" : "")")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    func document() -> JSONValue {
        let clusters: [JSONValue] = members.map { member in
            switch member.outcome {
            case .success(let renderer):
                return .object([("context", .string(member.context)), ("read", .bool(true)), ("error", .null),
                                ("report", ReportJSON(renderer: renderer).document())])
            case .failure(let error):
                return .object([("context", .string(member.context)), ("read", .bool(false)), ("error", .string(error.description)),
                                ("report", .null)])
            }
        }
        let read = reachable.count
        return .object([
            ("apiVersion", .string(ReportJSON.apiVersion)), ("kind", .string("FleetTokenReport")),
            ("clusters", .array(clusters)),
            ("summary", .object([
                ("clusters", .int(Int64(members.count))), ("read", .int(Int64(read))),
                ("failed", .int(Int64(members.count - read))), ("exitCode", .int(Int64(exitCode))),
            ])),
        ])
    }
}
