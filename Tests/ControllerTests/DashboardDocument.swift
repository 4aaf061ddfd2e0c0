import Foundation

/// The Grafana dashboard's panels and their Prometheus queries, read from the chart's JSON.
struct DashboardDocument {
    struct Query: Sendable, CustomStringConvertible {
        let panel: String
        let refID: String
        let expr: String
        var description: String { "\(panel) [\(refID)]: \(expr)" }

        /// The expression as Grafana sends it: its interval variables replaced. `rateInterval` must
        /// hold at least two scrapes.
        func resolved(rateInterval: String) -> String {
            expr.replacingOccurrences(of: "$__rate_interval", with: rateInterval)
                .replacingOccurrences(of: "$__interval", with: rateInterval)
                .replacingOccurrences(of: "$__range", with: rateInterval)
        }
    }

    let title: String
    let panelTitles: [String]
    let queries: [Query]

    static func load() throws -> DashboardDocument {
        let data = Data(try DeployManifest.text(MonitoringManifestTests.dashboardFile).utf8)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let panels = root["panels"] as? [[String: Any]], !panels.isEmpty
        else { throw DeployToolError.missing("a dashboard with panels in \(MonitoringManifestTests.dashboardFile)") }
        var queries: [Query] = []
        for panel in panels {
            let title = panel["title"] as? String ?? "?"
            let targets = panel["targets"] as? [[String: Any]] ?? []
            if targets.isEmpty { throw DeployToolError.missing("queries in panel \(title)") }
            for target in targets {
                queries.append(Query(panel: title, refID: target["refId"] as? String ?? "?", expr: target["expr"] as? String ?? ""))
            }
        }
        return DashboardDocument(title: root["title"] as? String ?? "", panelTitles: panels.compactMap { $0["title"] as? String }, queries: queries)
    }
}
