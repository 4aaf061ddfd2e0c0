import Demo
import Foundation
import KubeSim
import Testing
import TestSupport

/// `token-warden explain` on the demo's cluster, run as the built binary (and as a kubectl
/// plugin): for the at-risk, unprotectable, window-deferred and OK objects it tells the same
/// facts as `report -o json`, and its text walks through every step of the model.
@Suite(.serialized) struct ExplainEndToEndTests {
    final class Fixture: Sendable {
        let sim: KubeSim
        let kubeconfig: String
        init() throws {
            sim = try SimServer.start(objects: DemoScenario().objects)
            let dir = try SimServer.temporaryDirectory("explain-e2e")
            kubeconfig = dir.appendingPathComponent("config").path
            try sim.writeKubeconfig(path: kubeconfig)
        }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The report's workload object for namespace/name.
    static func reported(_ report: [String: Any], _ namespace: String, _ name: String) throws -> [String: Any] {
        let workloads = report["workloads"] as? [[String: Any]] ?? []
        return try #require(workloads.first { $0["namespace"] as? String == namespace && $0["name"] as? String == name })
    }

    /// What may not differ between two reads a second apart: everything but the seconds-to-go.
    static func stable(_ workload: [String: Any]) -> [String: String] {
        var facts: [String: String] = [:]
        for key in ["namespace", "kind", "name", "status", "reason", "deadline", "restartDue", "oldestTokenIssuedAt", "strategy"] {
            facts[key] = "\(workload[key] ?? "nil")"
        }
        let policy = workload["policy"] as? [String: Any] ?? [:]
        let sources = (policy["sources"] as? [String: Any] ?? [:]).map { "\($0.key)=\($0.value)" }.sorted()
        facts["policy"] = "\(sources) \(policy["tokenLifetime"] ?? "nil") \(policy["restartBeforeSeconds"] ?? "nil") \(policy["maintenanceWindow"] ?? "nil")"
        let pods = workload["pods"] as? [[String: Any]] ?? []
        facts["pods"] = pods.map { "\($0["name"] ?? "") \($0["deadline"] ?? "") \(($0["containers"] as? [[String: Any]])?.map { "\($0["issuedNotBefore"] ?? "")" } ?? [])" }.joined(separator: ";")
        return facts
    }

    /// An action's type and cause, as the JSON says them ("nil" where absent).
    static func actionText(_ workload: [String: Any]) -> String {
        let action = workload["action"] as? [String: Any]
        return "\(action?["type"] ?? "nil") \(action?["cause"] ?? "nil")"
    }

    @Test(.enabled(if: TokenWardenBinary.url != nil, "no token-warden binary next to the test runner"),
          arguments: [("deployment/checkout", "shop", "at-risk", "deferred"), ("deploy/sensor", "edge", "unprotectable", "warn-only"),
                      ("deployment/ledger", "payments", "at-risk", "deferred"), ("deployment/catalog", "shop", "ok", "nil")])
    func explainAgreesWithTheReport(object: String, namespace: String, status: String, action: String) async throws {
        let fixture = try Fixture()
        defer { fixture.sim.stop() }
        let (reportStatus, reportText) = try await TokenWardenBinary.run(["report", "--kubeconfig", fixture.kubeconfig, "-A", "-o", "json"])
        #expect(reportStatus == 1)
        let report = try Self.json(reportText)
        let name = String(object.split(separator: "/")[1])
        let fromReport = try Self.reported(report, namespace, name)
        #expect(fromReport["status"] as? String == status)

        let (status1, explainJSON) = try await TokenWardenBinary.run(["explain", object, "-n", namespace, "--kubeconfig", fixture.kubeconfig, "-o", "json"])
        #expect(status1 == (status == "at-risk" ? 1 : 0))
        let explained = try Self.json(explainJSON)
        #expect(explained["kind"] as? String == "TokenExplanation")
        let workload = try #require(explained["workload"] as? [String: Any])
        // Both plan as the controller in its default mode (--mode restart) …
        #expect(Self.stable(workload) == Self.stable(fromReport))
        #expect("\((workload["action"] as? [String: Any])?["type"] ?? "nil")" == action)
        #expect(Self.actionText(workload) == Self.actionText(fromReport))
        // … and alike as one in report mode.
        let (_, reportModeExplain) = try await TokenWardenBinary.run(["explain", object, "-n", namespace, "--kubeconfig", fixture.kubeconfig,
                                                                       "-o", "json", "--mode", "report"])
        let (_, reportModeReport) = try await TokenWardenBinary.run(["report", "--kubeconfig", fixture.kubeconfig, "-A", "-o", "json", "--mode", "report"])
        let explainedInReportMode = try #require(try Self.json(reportModeExplain)["workload"] as? [String: Any])
        let reportedInReportMode = try Self.reported(try Self.json(reportModeReport), namespace, name)
        #expect(Self.actionText(explainedInReportMode) == Self.actionText(reportedInReportMode))

        let (status2, text) = try await TokenWardenBinary.run(["explain", object, "-n", namespace, "--kubeconfig", fixture.kubeconfig])
        #expect(status2 == status1)
        // Every step of the model, with the report's numbers.
        for step in ["1. started", "2. refresh lag", "3. issued at or after", "4. lifetime", "5. expires",
                     "Policy (workload, then Namespace, then the controller's flags):", "Evidence:", "Deadline:", "Classification:",
                     "What the controller will do:", "window:", "limits:", "cooldown:"] {
            #expect(text.contains(step), "\(object): no \(step)")
        }
        if let deadline = fromReport["deadline"] as? String { #expect(text.contains("Deadline: \(deadline)")) }
        for pod in fromReport["pods"] as? [[String: Any]] ?? [] { #expect(text.contains("Pod \(pod["name"] ?? "")")) }
        switch object {
        case "deployment/checkout":
            #expect(text.contains("2. refresh lag  48m16s = min(0.8 × 3607 s, 24h) + 10s"))
            #expect(text.contains("token-lifetime 365d (the controller's default)"))
            #expect(text.contains("Restart due: ") && text.contains("(due now)"))
            // legacy/billing-v1 (expired, in another namespace) holds the one cluster-wide slot.
            #expect(text.contains("now: queued (cluster limit)"), "\(text)")
        case "deploy/sensor":
            #expect(text.contains("from Namespace edge's annotation"))
            #expect(text.contains("token-lifetime none: the API server does not extend it"))
            #expect(text.contains("warn (cannot help)"))
            #expect(!text.contains("Restart due:"))
        case "deployment/ledger":
            #expect(text.contains("now: wait window"))
            #expect(text.contains("closed; opens "))
            #expect(text.contains("maintenance-window") && text.contains("from Namespace payments's annotation"))
        default:
            #expect(text.contains("Classification: OK"))
            #expect(text.contains("restart in "))
        }
    }

    @Test("explain pod/NAME explains that pod only, of its workload",
          .enabled(if: TokenWardenBinary.url != nil, "no token-warden binary next to the test runner"))
    func explainOnePod() async throws {
        let fixture = try Fixture()
        defer { fixture.sim.stop() }
        let (_, reportText) = try await TokenWardenBinary.run(["report", "--kubeconfig", fixture.kubeconfig, "-A", "-o", "json"])
        let checkout = try Self.reported(try Self.json(reportText), "shop", "checkout")
        let pods = (checkout["pods"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(pods.count == 3)
        let (status, text) = try await TokenWardenBinary.run(["explain", "pod/\(pods[1])", "-n", "shop", "--kubeconfig", fixture.kubeconfig])
        #expect(status == 1)
        #expect(text.hasPrefix("Pod shop/\(pods[1]) (of Deployment shop/checkout): AtRisk"))
        #expect(text.contains("Pod \(pods[1]) ("))
        #expect(!text.contains("Pod \(pods[0]) (") && !text.contains("Pod \(pods[2]) ("))

        let (missing, _) = try await TokenWardenBinary.run(["explain", "pod/nope", "-n", "shop", "--kubeconfig", fixture.kubeconfig])
        #expect(missing == 2)
        let (bad, _) = try await TokenWardenBinary.run(["explain", "checkout", "-n", "shop", "--kubeconfig", fixture.kubeconfig])
        #expect(bad != 0 && bad != 1)

        // Planned under the running controller's limits when they are passed.
        let (_, limited) = try await TokenWardenBinary.run(["explain", "deployment/checkout", "-n", "shop", "--kubeconfig", fixture.kubeconfig,
                                                             "--max-concurrent", "3", "--max-concurrent-per-namespace", "2",
                                                             "--restart-cooldown", "2h", "--rollout-timeout", "20m", "-o", "json"])
        let controller = try Self.json(limited)["controller"] as? [String: Any]
        #expect(controller?["maxConcurrent"] as? Int == 3 && controller?["maxConcurrentPerNamespace"] as? Int == 2)
        #expect(controller?["cooldownSeconds"] as? Int == 7200 && controller?["rolloutTimeoutSeconds"] as? Int == 1200)
        let steps = (try Self.json(limited)["steps"] as? [String] ?? []).joined(separator: "\n")
        #expect(steps.contains("limits: at most 3 restarts at once cluster-wide, 2 per namespace"))
        #expect(steps.contains("cooldown: 2h after a restart"))
        let (invalid, _) = try await TokenWardenBinary.run(["explain", "deployment/checkout", "-n", "shop", "--kubeconfig", fixture.kubeconfig,
                                                             "--restart-cooldown", "soon"])
        #expect(invalid != 0 && invalid != 1)
    }

    @Test("kubectl token-warden explain runs the binary as a kubectl plugin",
          .enabled(if: TokenWardenBinary.url != nil && DeployTools.kubectl != nil, "needs the token-warden binary and kubectl"))
    func asKubectlPlugin() async throws {
        let fixture = try Fixture()
        defer { fixture.sim.stop() }
        let bin = try SimServer.temporaryDirectory("plugin-path")
        defer { try? FileManager.default.removeItem(at: bin) }  // a temporary folder; leftovers are harmless
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("kubectl-token_warden").path,
                                                   withDestinationPath: try #require(TokenWardenBinary.url).path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["KUBECONFIG"] = fixture.kubeconfig
        let kubectl = try #require(DeployTools.kubectl)
        let outcome = try await ChildProcess.runAsync(kubectl, ["token-warden", "explain", "deployment/ledger", "-n", "payments"],
                                                      environment: environment, timeoutSeconds: 120)
        #expect(outcome.status == 1, "\(outcome.errorOutput)")
        #expect(outcome.output.hasPrefix("Deployment payments/ledger: AtRisk"))
        #expect(outcome.output.contains("now: wait window"))
    }
}
