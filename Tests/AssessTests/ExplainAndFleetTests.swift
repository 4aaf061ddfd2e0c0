import Assess
import Foundation
import KubeModel
import Plan
@testable import Report
import Testing

/// The pure parts of `explain` (which object, found where; every step in the text) and of the
/// fleet report (merged rows, per-cluster summary, exit codes) on a fixed clock.
@Suite struct ExplainAndFleetTests {
    let now = t("2026-11-23T19:00:00Z")

    func population() -> (Assessment, Plan) {
        var c = Cluster()
        c.deployment("web", ns: "shop", start: "2025-12-03T00:00:00Z")   // at risk
        c.deployment("api", ns: "shop", start: "2026-06-01T00:00:00Z")   // ok
        c.deployment("billing", ns: "pay", start: "2025-11-01T00:00:00Z") // expired
        let assessment = c.assess(now: now)
        return (assessment, Planner(config: PlannerConfig(maxConcurrent: 2)).plan(assessment, now: now))
    }

    @Test(arguments: [("pod/web-0", ExplainTarget.Kind.pod), ("deploy/web", .deployment), ("deployments.apps/web", .deployment),
                      ("sts/db", .statefulSet), ("ds/agent", .daemonSet), ("rc/old", .replicationController), ("rs/x", .replicaSet),
                      ("job/j", .job), ("cj/nightly", .cronJob)])
    func targetKinds(text: String, kind: ExplainTarget.Kind) throws {
        let target = try ExplainTarget.parse(text, namespace: "shop").get()
        #expect(target.kind == kind)
        #expect(target.namespace == "shop")
    }

    @Test(arguments: ["web", "pod/", "/web", "pod/a/b", "service/web"])
    func badTargets(text: String) {
        #expect(throws: ExplainTarget.ParseError.self) { try ExplainTarget.parse(text, namespace: "shop").get() }
    }

    @Test func findsWorkloadsAndPodsInTheirNamespaceOnly() throws {
        let (assessment, _) = population()
        let web = try #require(ExplainTarget(kind: .deployment, namespace: "shop", name: "web").find(in: assessment))
        #expect(web.workload.id.name == "web" && web.pod == nil)
        let podName = try #require(web.workload.pods.first?.name)
        let pod = try #require(ExplainTarget(kind: .pod, namespace: "shop", name: podName).find(in: assessment))
        #expect(pod.workload.id == web.workload.id && pod.pod?.name == podName)
        #expect(ExplainTarget(kind: .deployment, namespace: "pay", name: "web").find(in: assessment) == nil)
        #expect(ExplainTarget(kind: .statefulSet, namespace: "shop", name: "web").find(in: assessment) == nil)
    }

    @Test func explanationWalksTheModelWithThePlansAction() throws {
        let (assessment, plan) = population()
        let target = ExplainTarget(kind: .deployment, namespace: "shop", name: "web")
        let (workload, pod) = try #require(target.find(in: assessment))
        let text = ExplainRenderer(target: target, workload: workload, pod: pod, plan: plan, planner: PlannerConfig(maxConcurrent: 2), now: now).text()
        let container = try #require(workload.pods.first?.assessContainers().first)
        #expect(text.hasPrefix("Deployment shop/web: AtRisk\n"))
        #expect(text.contains("1. started      \(container.startedAt.rfc3339)"))
        #expect(text.contains("3. issued at or after \(try #require(container.issuedNotBefore).rfc3339) = start − lag"))
        #expect(text.contains("5. expires      \(try #require(container.expiresAt).rfc3339)"))
        #expect(text.contains("Deadline: \(try #require(workload.deadline).rfc3339)"))
        #expect(text.contains("now: restart (rollout): \(try #require(plan.decision(for: workload.id)).message)"))
        #expect(text.contains("limits: at most 2 restarts at once cluster-wide, 1 per namespace"))
    }

    func fleet(_ outcomes: [(String, Bool)], format: ReportOptions.Format = .table) -> FleetReportRenderer {
        let (assessment, plan) = population()
        let clean = Assessment(generatedAt: now, workloads: assessment.workloads.filter { $0.classification == .ok }, diagnostics: [])
        return FleetReportRenderer(members: outcomes.map { name, reachable in
            guard reachable else { return .init(context: name, outcome: .failure(.init("connection refused"))) }
            let renderer = name == "clean" ? ReportRenderer(assessment: clean, options: ReportOptions(format: format))
                : ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: format))
            return .init(context: name, outcome: .success(renderer))
        }, options: ReportOptions(format: format))
    }

    @Test func fleetTableAndExitCodes() {
        let both = fleet([("prod", true), ("clean", true)])
        let lines = both.render().split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("CLUSTER   NAMESPACE   KIND"))
        #expect(lines[1].hasPrefix("prod      pay") && lines[1].contains("billing"))  // the most urgent first
        #expect(lines.contains { $0.hasPrefix("clean     shop") && $0.contains("api") })
        #expect(lines.suffix(3) == ["cluster prod: 3 workloads: 1 expired, 1 at risk, 1 ok", "cluster clean: 1 workload: 1 ok", "2 clusters: 2 read"])
        #expect(both.exitCode == 1)
        #expect(fleet([("prod", false), ("clean", true)]).exitCode == 0, "one unreachable cluster is reported, not fatal")
        #expect(fleet([("prod", false), ("clean", true)]).render().contains("cluster prod: not read: connection refused\n"))
        #expect(fleet([("prod", false), ("clean", false)]).exitCode == 2)
        #expect(fleet([("prod", false), ("clean", false)]).render() == "cluster prod: not read: connection refused\ncluster clean: not read: connection refused\n2 clusters: 0 read, 2 not read\n")
    }

    /// `report --all-contexts -o json` is written cluster by cluster and workload by workload: the
    /// bytes are those of the whole document, whatever the chunk size.
    @Test(arguments: [1, 100, 1 << 16]) func fleetJSONStreamsTheWholeDocument(chunkSize: Int) {
        for outcomes in [[("prod", true), ("down", false), ("clean", true)], [("down", false)], []] {
            let renderer = fleet(outcomes, format: .json)
            var bytes: [UInt8] = []
            var chunks = 0
            renderer.write(chunkSize: chunkSize) { bytes.append(contentsOf: $0); chunks += 1 }
            #expect(bytes == Array(renderer.document().serialized().utf8))
            #expect(bytes == Array(renderer.render().utf8))
            if chunkSize == 1, !outcomes.isEmpty { #expect(chunks > outcomes.count) }
        }
    }
}
