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

    /// `render()`, the JSON written cluster by cluster and workload by workload (as `report -o json`
    /// is: no more than one workload's value is built at a time), in chunks of about `chunkSize`.
    public func write(chunkSize: Int = 1 << 16, _ emit: ([UInt8]) -> Void) {
        guard options.format == .json else { return emit(Array(render().utf8)) }
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + chunkSize / 4)
        func flush(_ out: inout [UInt8]) {
            if out.count >= chunkSize {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        func member(_ key: String, at indent: Int, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            OrderedJSON.newline(&out, indent)
            OrderedJSON.quote(key, into: &out)
            out.append(contentsOf: ": ".utf8)
        }
        let (head, summary) = documentParts()
        out.append(UInt8(ascii: "{"))
        for (i, (key, value)) in head.enumerated() {
            member(key, at: 4, first: i == 0)
            value.write(into: &out, indent: 4)
        }
        member("clusters", at: 4)
        if members.isEmpty {
            out.append(contentsOf: "[]".utf8)
        } else {
            out.append(UInt8(ascii: "["))
            for (i, entry) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                OrderedJSON.newline(&out, 8)
                out.append(UInt8(ascii: "{"))
                for (j, (key, value)) in memberHead(entry).enumerated() {
                    member(key, at: 12, first: j == 0)
                    value.write(into: &out, indent: 12)
                }
                member("report", at: 12)
                if case .success(let renderer) = entry.outcome {
                    ReportJSON(renderer: renderer).write(into: &out, indent: 12, flush: flush)
                } else {
                    out.append(contentsOf: "null".utf8)
                }
                OrderedJSON.newline(&out, 8)
                out.append(UInt8(ascii: "}"))
                flush(&out)
            }
            OrderedJSON.newline(&out, 4)
            out.append(UInt8(ascii: "]"))
        }
        member("summary", at: 4)
        summary.write(into: &out, indent: 4)
        OrderedJSON.newline(&out, 0)
        out.append(contentsOf: "}\n".utf8)
        emit(out)
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

    /// The whole document as one value; `write` streams the same bytes (tests hold them equal).
    func document() -> OrderedJSON {
        let (head, summary) = documentParts()
        let clusters: [OrderedJSON] = members.map { member in
            let report: OrderedJSON = if case .success(let renderer) = member.outcome { ReportJSON(renderer: renderer).document() } else { .null }
            return .object(memberHead(member) + [("report", report)])
        }
        return .object(head + [("clusters", .array(clusters)), ("summary", summary)])
    }

    /// The members before `clusters`, and `summary`.
    private func documentParts() -> (head: [(String, OrderedJSON)], summary: OrderedJSON) {
        let read = reachable.count
        return ([("apiVersion", .string(ReportJSON.apiVersion)), ("kind", .string("FleetTokenReport"))],
                .object([
                    ("clusters", .int(Int64(members.count))), ("read", .int(Int64(read))),
                    ("failed", .int(Int64(members.count - read))), ("exitCode", .int(Int64(exitCode))),
                ]))
    }

    /// A cluster's members before its `report`.
    private func memberHead(_ member: Member) -> [(String, OrderedJSON)] {
        switch member.outcome {
        case .success: return [("context", .string(member.context)), ("read", .bool(true)), ("error", .null)]
        case .failure(let error): return [("context", .string(member.context)), ("read", .bool(false)), ("error", .string(error.description))]
        }
    }
}
