import Assess
import Foundation
import KubeModel
import Plan
import Report
import Testing

@Suite struct ReportTests {
    let now = t("2026-11-23T19:00:00Z")

    @Test(arguments: [
        (Int64(-5), "<invalid>"), (-1, "0s"), (0, "0s"), (45, "45s"), (119, "119s"), (120, "2m"), (330, "5m30s"),
        (599, "9m59s"), (600, "10m"), (5_700, "95m"), (10_799, "179m"), (10_800, "3h"), (11_520, "3h12m"),
        (28_799, "7h59m"), (28_800, "8h"), (108_000, "30h"), (172_800, "2d"), (536_400, "6d5h"), (691_200, "8d"),
        (3_888_000, "45d"), (31_536_000, "365d"), (63_072_000, "2y"), (65_664_000, "2y30d"), (283_824_000, "9y"),
    ])
    func humanDurations(_ seconds: Int64, _ text: String) {
        #expect(HumanDuration.format(seconds) == text)
    }

    @Test func expiredAgo() {
        #expect(HumanDuration.until(now - 2 * day, from: now) == "expired 2d ago")
        #expect(HumanDuration.until(now + 45 * day, from: now) == "45d")
        #expect(HumanDuration.until(now, from: now) == "expired 0s ago")
    }

    /// A cluster with one workload of each interesting class.
    func population() -> (Assessment, Plan) {
        var c = Cluster()
        c.deployment("web", ns: "shop", start: "2025-12-03T00:00:00Z")                       // at risk, deadline 2026-12-02T23:11:44Z
        c.deployment("cart", ns: "shop", start: "2025-12-05T00:00:00Z")                      // at risk, queued: 2 restarts already
        c.deployment("billing", ns: "pay", start: "2025-11-01T00:00:00Z")                    // expired 2026-10-31T23:11:44Z
        c.deployment("api", ns: "shop", start: "2026-06-01T00:00:00Z")                       // ok
        c.add(makePod(name: "debug", namespace: "ops", volume: .apiProjected(expirationSeconds: 7200)))  // unprotectable
        c.add(makePod(name: "cron-1", namespace: "ops", phase: "Succeeded"))                 // out of scope
        c.deployment("bad", ns: "shop", start: "2026-06-01T00:00:00Z", annotations: ["token-warden.dev/restart-before": "soon"])
        let assessment = c.assess(now: now)
        let plan = Planner(config: PlannerConfig(maxConcurrent: 2)).plan(assessment, now: now)
        return (assessment, plan)
    }

    @Test func table() {
        let (assessment, plan) = population()
        let out = ReportRenderer(assessment: assessment, plan: plan).render()
        let expected = """
            NAMESPACE   KIND         NAME      PODS   OLDEST TOKEN   EXPIRES IN         STATUS          ACTION
            ops         Pod          debug     1      326d           expired 326d ago   Unprotectable   warn (cannot help)
            pay         Deployment   billing   1      387d           expired 22d ago    Expired         restart (rollout)
            shop        Deployment   web       1      355d           9d                 AtRisk          restart (rollout)
            shop        Deployment   cart      1      353d           11d                AtRisk          queued (cluster limit)
            shop        Deployment   api       1      175d           189d               OK              restart in 159d
            shop        Deployment   bad       1      175d           189d               OK              restart in 159d
            6 workloads: 1 expired, 2 at risk, 1 unprotectable, 2 ok; 1 invalid annotation

            """
        #expect(out == expected, "\n\(out)")
        #expect(ReportRenderer(assessment: assessment, plan: plan).exitCode == 1)
    }

    @Test func wideTable() {
        let (assessment, plan) = population()
        let out = ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: .wide, includeOutOfScope: true)).render()
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix("ACTION                   STRATEGY    DEADLINE               LIFETIME   WINDOW   CONFIRMED   REASON"))
        #expect(lines.contains { $0.contains("web") && $0.contains("rollout     2026-12-02T23:11:44Z   365d       always   0/1         pod web-1: container app's token expires 2026-12-02T23:11:44Z, within restart-before 30d") })
        #expect(lines.contains { $0.hasPrefix("ops         Pod          cron-1") && $0.contains("OutOfScope") })
        #expect(lines.last == "7 workloads: 1 expired, 2 at risk, 1 unprotectable, 2 ok, 1 out of scope; 1 invalid annotation")
    }

    /// Evidence kept on a pod: CONFIRMED in -o wide, the evidence in JSON; restart-on and the
    /// Unconfirmed status in both.
    @Test func evidenceAndRestartOnAreShown() throws {
        let now = t("2026-12-10T00:00:00Z")
        let (d1, rs1, owner1) = deployment("proven", annotations: ["token-warden.dev/restart-on": "evidence"])
        let (d2, rs2, owner2) = deployment("unproven", annotations: ["token-warden.dev/restart-on": "evidence"])
        let evidence = [PolicyAnnotation.staleTokenIssuedAt: "2026-01-05T00:00:00Z", PolicyAnnotation.staleTokenSeenAt: "2026-12-09T00:00:00Z"]
        let snapshot = ClusterSnapshot(
            pods: [makePod(name: "proven-1", owner: owner1, annotations: evidence), makePod(name: "proven-2", owner: owner1),
                   makePod(name: "unproven-1", owner: owner2)],
            namespaces: [namespace()], replicaSets: [rs1, rs2], deployments: [d1, d2])
        let assessment = Assessor().assess(snapshot, now: now)
        let wide = ReportRenderer(assessment: assessment, options: ReportOptions(format: .wide)).render()
        let lines = wide.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("proven ") && $0.contains("ConfirmedStale") && $0.contains("1/2") })
        #expect(lines.contains { $0.contains("unproven") && $0.contains("Unconfirmed") && $0.contains("warn (no evidence)") && $0.contains("0/1") })
        #expect(lines.last?.contains("1 confirmed stale, 1 unconfirmed") == true)

        let text = ReportRenderer(assessment: assessment, options: ReportOptions(format: .json)).render()
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((doc["summary"] as? [String: Any])?["unconfirmed"] as? Int == 1)
        let workloads = try #require(doc["workloads"] as? [[String: Any]])
        let proven = try #require(workloads.first { $0["name"] as? String == "proven" })
        #expect((proven["policy"] as? [String: Any])?["restartOn"] as? String == "evidence")
        let pods = try #require(proven["pods"] as? [[String: Any]])
        let kept = try #require(pods.first { $0["name"] as? String == "proven-1" }?["evidence"] as? [String: Any])
        #expect(kept["tokenIssuedAt"] as? String == "2026-01-05T00:00:00Z")
        #expect(kept["seenAt"] as? String == "2026-12-09T00:00:00Z")
        #expect(kept["source"] as? String == "annotation")
        #expect(pods.first { $0["name"] as? String == "proven-2" }?["evidence"] is NSNull)
        #expect(workloads.first { $0["name"] as? String == "unproven" }?["status"] as? String == "unconfirmed")
    }

    @Test func jsonDocument() throws {
        let (assessment, plan) = population()
        let text = ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: .json)).render()
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(doc["apiVersion"] as? String == "token-warden.dev/v1alpha1")
        #expect(doc["kind"] as? String == "TokenReport")
        #expect(doc["generatedAt"] as? String == "2026-11-23T19:00:00Z")
        let summary = try #require(doc["summary"] as? [String: Any])
        #expect(summary["workloads"] as? Int == 6)
        #expect(summary["atRisk"] as? Int == 2)
        #expect(summary["exitCode"] as? Int == 1)
        #expect(summary["predictedMisses"] as? Int == 0)
        let workloads = try #require(doc["workloads"] as? [[String: Any]])
        #expect(workloads.map { $0["name"] as? String } == ["debug", "billing", "web", "cart", "api", "bad"])
        let web = workloads[2]
        #expect(web["status"] as? String == "at-risk")
        #expect(web["deadline"] as? String == "2026-12-02T23:11:44Z")
        #expect(web["expiresInSeconds"] as? Int == 792_704)
        #expect(web["restartDue"] as? String == "2026-11-02T23:11:44Z")
        #expect(web["oldestTokenIssuedAt"] as? String == "2025-12-02T23:11:44Z")
        #expect(web["uid"] as? String == "uid-Deployment-web")
        #expect(web["strategyNote"] is NSNull)
        let action = try #require(web["action"] as? [String: Any])
        #expect(action["type"] as? String == "restart")
        #expect(action["strategy"] as? String == "rollout")
        let forecast = try #require(web["forecast"] as? [String: Any])
        #expect(forecast["earliestStart"] as? String == "2026-11-23T19:00:00Z")
        #expect(forecast["missesDeadline"] as? Bool == false)
        let policy = try #require(web["policy"] as? [String: Any])
        #expect(policy["tokenLifetime"] as? String == "365d")
        #expect(policy["restartBeforeSeconds"] as? Int == 2_592_000)
        let container = try #require(((web["pods"] as? [[String: Any]])?.first?["containers"] as? [[String: Any]])?.first)
        #expect(container["expirationSeconds"] as? Int == 3607)
        #expect(container["refreshLagSeconds"] as? Int == 2896)
        #expect(container["lifetimeSeconds"] as? Int == 31_536_000)
        #expect(container["startSource"] as? String == "container")
        let diagnostics = try #require(doc["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0]["annotation"] as? String == "token-warden.dev/restart-before")
        // Stable: the same input renders byte-identically, keys in schema order.
        #expect(text == ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: .json)).render())
        #expect(text.hasPrefix("{\n    \"apiVersion\": \"token-warden.dev/v1alpha1\",\n    \"kind\": \"TokenReport\",\n"))
    }

    @Test func exitCodes() {
        var c = Cluster()
        c.deployment("api", start: "2026-06-01T00:00:00Z")
        #expect(ReportExitCode.of(c.assess(now: now)) == 0)
        c.add(makePod(name: "short", volume: .apiProjected(expirationSeconds: 7200)))
        #expect(ReportExitCode.of(c.assess(now: now)) == 0)  // unprotectable alone is reported, not an alert
        c.deployment("old", start: "2025-11-01T00:00:00Z")
        #expect(ReportExitCode.of(c.assess(now: now)) == 1)
        #expect(ReportExitCode.error == 2)
    }

    @Test func emptyCluster() {
        let r = ReportRenderer(assessment: Assessor().assess(ClusterSnapshot(), now: now))
        #expect(r.render() == "No workloads with API tokens found.\n0 workloads\n")
        #expect(r.exitCode == 0)
    }

    @Test func withoutAPlanTheActionComesFromThePolicy() {
        let (assessment, _) = population()
        let out = ReportRenderer(assessment: assessment).table(wide: false)
        #expect(out.contains("queued") == false)
        #expect(out.split(separator: "\n").contains { $0.contains("cart") && $0.hasSuffix("restart (rollout)") })
    }
}
