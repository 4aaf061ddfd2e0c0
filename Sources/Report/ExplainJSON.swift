import Assess
import KubeModel
import Plan

/// `token-warden explain -o json`:
///
///     { "apiVersion": "token-warden.dev/v1alpha1", "kind": "TokenExplanation", "generatedAt": time,
///       "target": { "kind", "namespace", "name" },
///       "pod": string|null (the pod asked about),
///       "workload": { …exactly the report's `-o json` workload object… },
///       "controller": { "maxConcurrent": int, "maxConcurrentPerNamespace": int, "cooldownSeconds": int,
///                       "rolloutTimeoutSeconds": int, "windowOpenNow": bool|null, "windowOpensAt": time|null },
///       "steps": [ string ] (the text explanation, line by line) }
///
/// The workload object comes from the report's serializer, so `explain` and `report` cannot disagree.
struct ExplainJSON {
    var explainer: ExplainRenderer

    func document() -> OrderedJSON {
        let e = explainer
        let workload = e.workload
        // The report's document for just this workload and the same plan.
        let single = Assessment(generatedAt: e.now, workloads: [workload], diagnostics: workload.diagnostics)
        let report = ReportJSON(renderer: ReportRenderer(assessment: single, plan: e.plan, options: ReportOptions(format: .json, includeOutOfScope: true)))
        var reported: OrderedJSON = .null
        if case .object(let members) = report.document(), let workloads = members.first(where: { $0.0 == "workloads" })?.1,
           case .array(let items) = workloads, let first = items.first {
            reported = first
        }
        var windowOpen: OrderedJSON = .null
        var windowOpens: OrderedJSON = .null
        if let window = workload.policy.maintenanceWindow {
            let open = window.isOpen(at: e.now)
            windowOpen = .bool(open)
            windowOpens = open ? .string(e.now.rfc3339) : .string(window.nextOpen(atOrAfter: e.now)?.rfc3339)
        }
        let steps = e.text().split(separator: "\n", omittingEmptySubsequences: true).map { OrderedJSON.string(String($0)) }
        return .object([
            ("apiVersion", .string(ReportJSON.apiVersion)), ("kind", .string("TokenExplanation")),
            ("generatedAt", .string(e.now.rfc3339)),
            ("target", .object([("kind", .string(e.target.kind.rawValue)), ("namespace", .string(e.target.namespace)), ("name", .string(e.target.name))])),
            ("pod", .string(e.pod?.name)),
            ("workload", reported),
            ("controller", .object([
                ("maxConcurrent", .int(Int64(e.planner.maxConcurrent))), ("maxConcurrentPerNamespace", .int(Int64(e.planner.maxConcurrentPerNamespace))),
                ("cooldownSeconds", .int(e.planner.cooldown)), ("rolloutTimeoutSeconds", .int(e.planner.rolloutTimeout)),
                ("windowOpenNow", windowOpen), ("windowOpensAt", windowOpens),
            ])),
            ("steps", .array(steps)),
        ])
    }
}

extension ExplainRenderer {
    /// The JSON document (ends with a newline).
    public func json() -> String { ExplainJSON(explainer: self).document().serialized() }
}
