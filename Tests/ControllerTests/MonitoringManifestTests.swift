import Foundation
import Observe
import Testing
import Yams

/// The alert rules and the Grafana dashboard that ship next to the controller: one rule file and
/// one dashboard JSON (in the Helm chart's files/), the same content in the kustomize components,
/// every alert unit-tested with promtool (firing and not firing) and documented with a runbook.
@Suite("Monitoring manifests")
struct MonitoringManifestTests {
    static let rulesFile = "deploy/helm/token-warden/files/prometheus-rules.yaml"
    static let dashboardFile = "deploy/helm/token-warden/files/grafana-dashboard.json"
    static let promtool = DeployTools.which("promtool")

    static func ruleGroups() throws -> [[String: Any]] {
        let file = try #require(DeployManifest.load(file: rulesFile).first)
        return file["groups"] as? [[String: Any]] ?? []
    }

    static func alerts() throws -> [[String: Any]] {
        try ruleGroups().flatMap { $0["rules"] as? [[String: Any]] ?? [] }.filter { $0["alert"] != nil }
    }

    /// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    static func anchors(_ markdown: String) -> Set<String> {
        Set(markdown.split(separator: "\n").filter { $0.hasPrefix("#") }.map { line in
            let text = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            return String(text.compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            })
        })
    }

    @Test("Every alert has a summary, a description and a runbook_url to an existing troubleshooting anchor")
    func alertsAreDocumented() throws {
        let alerts = try Self.alerts()
        #expect(alerts.count == 8)
        let anchors = Self.anchors(try DeployManifest.text("docs/troubleshooting.md"))
        for alert in alerts {
            let name = alert["alert"] as? String ?? "?"
            let annotations = alert["annotations"] as? [String: Any] ?? [:]
            for key in ["summary", "description", "runbook_url"] {
                #expect(!(annotations[key] as? String ?? "").isEmpty, "\(name) lacks \(key)")
            }
            let runbook = annotations["runbook_url"] as? String ?? ""
            #expect(runbook.hasPrefix("https://token-warden.dev/docs/troubleshooting.md#"), "\(name): \(runbook)")
            let anchor = String(runbook.split(separator: "#").last ?? "")
            #expect(anchors.contains(anchor), "\(name): docs/troubleshooting.md has no heading for #\(anchor)")
            #expect(anchor == name.lowercased(), "\(name)'s runbook is its own section")
            #expect(alert["for"] != nil && (alert["labels"] as? [String: Any])?["severity"] != nil, "\(name) needs for and severity")
        }
    }

    @Test("The rules and the dashboard query only metrics the controller exports")
    func metricNamesExist() throws {
        let exported = Set(MetricCatalog.all.map(\.name))
        var rulesMetrics: Set<String> = []
        for alert in try Self.alerts() { rulesMetrics.formUnion(Self.metricNames(alert["expr"] as? String ?? "")) }
        #expect(rulesMetrics.subtracting(exported).isEmpty,
                "unknown in the rules: \(rulesMetrics.subtracting(exported).sorted())")
        let dashboardMetrics = Set(try DashboardDocument.load().queries.flatMap { Self.metricNames($0.expr) })
        #expect(dashboardMetrics.subtracting(exported).isEmpty, "unknown in the dashboard: \(dashboardMetrics.subtracting(exported).sorted())")
        for metric in [MetricCatalog.workloads, MetricCatalog.deadlineRemaining, MetricCatalog.restarts, MetricCatalog.evictions,
                       MetricCatalog.deferredRestarts, MetricCatalog.forecastMisses, MetricCatalog.apiRequests,
                       MetricCatalog.leader, MetricCatalog.auditEvents] {
            #expect(dashboardMetrics.contains(metric.name), "the dashboard shows no \(metric.name)")
        }
    }

    static func metricNames(_ expr: String) -> Set<String> {
        let pattern = /token_warden_[a-z_]+/
        return Set(expr.matches(of: pattern).map { String($0.output) })
    }

    @Test("promtool: the rule file is valid and every alert's unit tests (firing and not firing) pass",
          .enabled(if: MonitoringManifestTests.promtool != nil, "promtool not installed (Debian's prometheus package): skipped"))
    func promtoolUnitTests() throws {
        let promtool = try #require(Self.promtool)
        _ = try DeployTools.run(promtool, ["check", "rules", Self.rulesFile])
        let output = try DeployTools.run(promtool, ["test", "rules", "deploy/prometheus/alerts-test.yaml"])
        #expect(output.contains("SUCCESS"))
        // Each alert is tested both ways: some evaluation expects it and some expects nothing.
        let tests = try #require(DeployManifest.load(file: "deploy/prometheus/alerts-test.yaml").first)
        var firing: Set<String> = [], silent: Set<String> = []
        for test in tests["tests"] as? [[String: Any]] ?? [] {
            for check in test["alert_rule_test"] as? [[String: Any]] ?? [] {
                let name = check["alertname"] as? String ?? ""
                if (check["exp_alerts"] as? [Any])?.isEmpty ?? true { silent.insert(name) } else { firing.insert(name) }
            }
        }
        let names = Set(try Self.alerts().compactMap { $0["alert"] as? String })
        #expect(firing == names, "no firing test: \(names.subtracting(firing).sorted())")
        #expect(silent == names, "no not-firing test: \(names.subtracting(silent).sorted())")
    }

    @Test("The kustomize component and the chart carry the same rules; the chart's runbook base is a value",
          .enabled(if: DeployTools.kubectl != nil && DeployTools.helmRenderer != nil, "needs kubectl and helm (or python3 + helm-python-sdk)"))
    func ruleCopiesAgree() throws {
        let groups = try Self.ruleGroups()
        let component = try DeployManifest.one(DeployManifest.kustomize("deploy/components/prometheus-rule"), kind: "PrometheusRule", name: "token-warden")
        #expect(DeployManifest.same(DeployManifest.value(component, "spec.groups"), groups))
        let chart = try DeployManifest.one(DeployManifest.helmTemplate(valuesJSON: #"{"prometheusRule": {"enabled": true}}"#),
                                           kind: "PrometheusRule", name: "token-warden")
        #expect(DeployManifest.same(DeployManifest.value(chart, "spec.groups"), groups))
        let moved = try DeployManifest.one(DeployManifest.helmTemplate(valuesJSON: #"{"prometheusRule": {"enabled": true, "runbookBaseURL": "https://wiki.example/tw/", "labels": {"release": "kps"}}}"#),
                                           kind: "PrometheusRule", name: "token-warden")
        let movedAlerts = (DeployManifest.value(moved, "spec.groups.0.rules") as? [[String: Any]] ?? [])
        #expect(movedAlerts.count == (try Self.alerts()).count)
        for alert in movedAlerts {
            let url = (alert["annotations"] as? [String: Any])?["runbook_url"] as? String ?? ""
            #expect(url == "https://wiki.example/tw#\((alert["alert"] as? String ?? "").lowercased())")
        }
        #expect(DeployManifest.same(DeployManifest.value(moved, "metadata.labels.release"), "kps"))
        #expect(!DeployManifest.kinds(try DeployManifest.helmTemplate()).contains("PrometheusRule"), "off by default")
    }

    @Test("The dashboard ConfigMap carries the grafana_dashboard label and the same JSON in both installs",
          .enabled(if: DeployTools.kubectl != nil && DeployTools.helmRenderer != nil, "needs kubectl and helm (or python3 + helm-python-sdk)"))
    func dashboardCopiesAgree() throws {
        let json = try DeployManifest.text(Self.dashboardFile)
        #expect(try DeployManifest.text("deploy/components/grafana-dashboard/token-warden.json") == json)
        _ = try DashboardDocument.load()  // parses, has panels
        let component = try DeployManifest.one(DeployManifest.kustomize("deploy/components/grafana-dashboard"), kind: "ConfigMap", name: "token-warden-dashboard")
        let chart = try DeployManifest.one(DeployManifest.helmTemplate(valuesJSON: #"{"grafanaDashboard": {"enabled": true, "annotations": {"grafana_folder": "Kubernetes"}}}"#),
                                           kind: "ConfigMap", name: "token-warden-dashboard")
        for configMap in [component, chart] {
            #expect(DeployManifest.same(DeployManifest.value(configMap, "metadata.labels.grafana_dashboard"), "1"))
            let data = DeployManifest.value(configMap, "data") as? [String: Any] ?? [:]
            #expect(Array(data.keys) == ["token-warden.json"])
            #expect((data["token-warden.json"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) == json.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(DeployManifest.same(DeployManifest.value(chart, "metadata.annotations.grafana_folder"), "Kubernetes"))
        #expect(!DeployManifest.kinds(try DeployManifest.helmTemplate()).contains("ConfigMap"), "off by default")
    }
}
