import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Plan
import Report
import Testing
import TestSupport

/// `report` end to end: a simulated API server seeded with a known population, the libcurl client,
/// the token-age model and the renderer — exact workloads and deadlines to the second.
@Suite struct ReportEndToEndTests {
    static let now = Timestamp(rfc3339: "2026-11-23T12:00:00Z")!
    static let day: Int64 = 86_400
    static let lag: Int64 = 2_896  // min(0.8 × 3607, 24 h) + 10 s
    static let year: Int64 = 365 * day

    static func population() -> [JSONValue] {
        var scenario = ScenarioBuilder(now: now.seconds)
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 2, ageDays: 340)
        scenario.deployment("shop", "api", replicas: 1, ageDays: 10)
        scenario.namespace("legacy")
        scenario.replicationController("legacy", "old-api", replicas: 2, ageDays: 400)
        scenario.namespace("misc")
        scenario.barePod("misc", "debug-shell", ageDays: 350)
        scenario.namespace("aks", annotations: ["token-warden.dev/token-lifetime": "none"])
        scenario.deployment("aks", "worker", replicas: 1, ageDays: 2)
        scenario.namespace("eks", annotations: ["token-warden.dev/token-lifetime": "90d", "token-warden.dev/restart-before": "bad"])
        scenario.deployment("eks", "agent", replicas: 1, ageDays: 70)
        return scenario.objects
    }

    static func assessment(_ sim: KubeSim) async throws -> (Assessment, Plan) {
        let dir = try SimServer.temporaryDirectory("report-e2e")
        try sim.writeKubeconfig(path: dir.appendingPathComponent("config").path)
        let config = try KubeconfigLoader.load(explicitPath: dir.appendingPathComponent("config").path)
        let client = KubeClient(config: config)
        let snapshot = try await SnapshotFetcher(client: client, namespace: nil).fetch()
        let assessment = Assessor(defaults: PolicyDefaults(mode: .report)).assess(snapshot, now: now)
        return (assessment, Planner(config: PlannerConfig()).plan(assessment, now: now, startedRestarts: [:]))
    }

    @Test func exactWorkloadsAndDeadlines() async throws {
        let sim = try SimServer.start(objects: Self.population())
        defer { sim.stop() }
        let (assessment, plan) = try await Self.assessment(sim)
        let byName = Dictionary(uniqueKeysWithValues: assessment.workloads.map { ("\($0.id.namespace)/\($0.id.name)", $0) })

        // Started 340 d ago: issued ≥ start − 48m16s, expires 365 d later.
        let web = try #require(byName["shop/web"])
        #expect(web.classification == .atRisk)
        #expect(web.deadline == Self.now - 340 * Self.day - Self.lag + Self.year)
        #expect(web.ref.kind == "Deployment")
        #expect(web.pods.count == 2)

        #expect(byName["shop/api"]?.classification == .ok)
        #expect(byName["shop/api"]?.deadline == Self.now - 10 * Self.day - Self.lag + Self.year)

        let old = try #require(byName["legacy/old-api"])
        #expect(old.classification == .expired)
        #expect(old.strategy == .evict)
        #expect(old.deadline == Self.now - 400 * Self.day - Self.lag + Self.year)

        let bare = try #require(byName["misc/debug-shell"])
        #expect(bare.classification == .atRisk)
        #expect(bare.strategy == .warnOnly)

        // Extension off: a restart cannot help, so it is reported, not churned.
        #expect(byName["aks/worker"]?.classification == .unprotectable)

        // 90 d lifetime from the namespace; its invalid restart-before falls back to 30 d and is diagnosed.
        let agent = try #require(byName["eks/agent"])
        #expect(agent.classification == .atRisk)
        #expect(agent.deadline == Self.now - 70 * Self.day - Self.lag + 90 * Self.day)
        #expect(assessment.diagnostics.contains { $0.annotation == "token-warden.dev/restart-before" && $0.object.name == "eks" })

        // Deadline order: most urgent first.
        #expect(assessment.workloads.first?.id.name == "old-api")
        #expect(plan.decisions.contains { $0.workload.name == "web" })

        // The rendered JSON carries the same numbers.
        let json = ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: .json)).render()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let workloads = try #require(document["workloads"] as? [[String: Any]])
        let webJSON = try #require(workloads.first { $0["name"] as? String == "web" })
        #expect(webJSON["deadline"] as? String == web.deadline?.rfc3339)
        #expect(webJSON["status"] as? String == "at-risk")
        #expect((document["summary"] as? [String: Any])?["exitCode"] as? Int == 1)
    }

    /// The real binary, as a person or a cron job runs it: exit code 1 and a readable table.
    @Test func theBinaryPrintsATableAndExitsOne() async throws {
        guard TokenWardenBinary.url != nil else {
            print("skipping: no token-warden binary next to the test runner")
            return
        }
        let sim = try SimServer.start(objects: Self.population())
        defer { sim.stop() }
        let dir = try SimServer.temporaryDirectory("report-bin")
        let kubeconfig = dir.appendingPathComponent("config").path
        try sim.writeKubeconfig(path: kubeconfig)
        let (status, text) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A"])
        #expect(status == 1)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAMESPACE") == true)
        #expect(lines.first?.contains("EXPIRES IN") == true)
        #expect(text.contains("old-api"))
        #expect(text.contains("web"))
        #expect(lines.last?.contains("workloads") == true)
    }

    /// ACTION is the plan of a controller run with the same `--mode`: the default (restart) shows
    /// the next restart step; `--mode report` what a report-mode controller would only warn about.
    @Test func theBinaryShowsTheActionOfTheControllersMode() async throws {
        guard TokenWardenBinary.url != nil else {
            print("skipping: no token-warden binary next to the test runner")
            return
        }
        let sim = try SimServer.start(objects: Self.population())
        defer { sim.stop() }
        let dir = try SimServer.temporaryDirectory("report-mode")
        let kubeconfig = dir.appendingPathComponent("config").path
        try sim.writeKubeconfig(path: kubeconfig)
        func row(_ text: String, _ name: String) -> String {
            text.split(separator: "\n").first { $0.split(separator: " ").dropFirst(2).first == Substring(name) }.map(String.init) ?? ""
        }
        let (_, restart) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A"])
        #expect(!restart.contains("warn (report mode)"))
        #expect(row(restart, "web").hasSuffix("restart (rollout)") || row(restart, "web").contains("queued"))
        #expect(row(restart, "old-api").hasSuffix("restart (evict)") || row(restart, "old-api").contains("queued"))
        #expect(row(restart, "debug-shell").hasSuffix("warn only"))

        let (_, report) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A", "--mode", "report"])
        #expect(row(report, "web").hasSuffix("warn (report mode)"))
        #expect(row(report, "old-api").hasSuffix("warn (report mode)"))

        let (_, json) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A", "-o", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let workloads = document["workloads"] as? [[String: Any]] ?? []
        let web = try #require(workloads.first { $0["name"] as? String == "web" })
        let action = try #require(web["action"] as? [String: Any])
        #expect(["restart", "deferred"].contains(action["type"] as? String))
        #expect(action["cause"] as? String != "report-mode")

        let (status, _) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A", "--mode", "ignore"])
        #expect(status != 0 && status != 1)
    }
}
