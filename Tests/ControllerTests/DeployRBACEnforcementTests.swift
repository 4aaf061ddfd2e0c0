import Assess
import Controller
import Foundation
import KubeSim
import Testing
import TestSupport
import Transport
import APIClient

/// The controller holds exactly the permissions in deploy/base/rbac.yaml: a full scenario works
/// with them and nothing else, and taking any one rule away makes it fail visibly.
@Suite(.serialized) struct DeployRBACEnforcementTests {
    static let namespace = "token-warden"
    static let user = "system:serviceaccount:token-warden:token-warden"

    /// The ClusterRole's rules cluster-wide, the leader-election Role's in the controller's namespace.
    static func deployRules() throws -> [PolicyRule] {
        try DeployManifest.load(file: "deploy/base/rbac.yaml").flatMap { object -> [PolicyRule] in
            let kind = DeployManifest.kind(object)
            guard kind == "ClusterRole" || kind == "Role", let rules = object["rules"] as? [[String: Any]] else { return [] }
            return rules.map { rule in
                PolicyRule(apiGroups: rule["apiGroups"] as? [String] ?? [], resources: rule["resources"] as? [String] ?? [],
                           verbs: rule["verbs"] as? [String] ?? [], namespaces: kind == "Role" ? [namespace] : nil)
            }
        }
    }

    static func harness() throws -> ScenarioHarness {
        try ScenarioHarness { s in
            s.namespace(namespace)
            s.namespace("shop")
            s.deployment("shop", "web", replicas: 2, ageDays: 350)
            s.namespace("legacy")
            s.replicationController("legacy", "billing", replicas: 2, ageDays: 360)
            s.podDisruptionBudget("legacy", "billing", app: "billing", minAvailable: 1, currentHealthy: 2)
            s.namespace("tools")
            s.barePod("tools", "shell", ageDays: 355)
        }
    }

    static func runtime(_ harness: ScenarioHarness, token: String) throws -> ControllerRuntime {
        let sim = harness.sim
        let cluster = ClusterConfig(
            server: sim.url, tls: TLSSettings(certificateAuthority: sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }),
            token: .fixed(token), origin: "rbac-test")
        var configuration = try harness.runtime().configuration
        configuration.leaderElection = .init(namespace: namespace, identity: "rbac", leaseDurationSeconds: 2, renewDeadlineSeconds: 1.5, retryPeriodSeconds: 0.2)
        return try ControllerRuntime(cluster: cluster, configuration: configuration, identity: "rbac", minimumInterval: .milliseconds(50))
    }

    @Test func theDeployRulesAreEnough() async throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        harness.sim.addToken("sa-token", user: Self.user, groups: ["system:serviceaccounts"], rules: try Self.deployRules())
        let replica = try harness.start(try Self.runtime(harness, token: "sa-token"))
        let done = try await harness.wait(seconds: 90) {
            harness.completed(["shop/web", "legacy/billing"]) && harness.events("WarnOnly").contains("tools/shell")
        }
        await replica.stop()
        #expect(done)
        let refused = harness.sim.requestLog.all.filter { $0.user == Self.user && $0.code == 403 }
        #expect(refused.isEmpty, "forbidden: \(refused)")
        #expect(harness.sim.requestLog.all.contains { $0.user == Self.user && $0.resource == "leases" && $0.code < 300 })
    }

    @Test(arguments: 0..<9)
    func withoutAnyOneRuleItFailsVisibly(dropping index: Int) async throws {
        var rules = try Self.deployRules()
        try #require(rules.count == 9, "deploy/base/rbac.yaml changed: update this test's rule count")
        let dropped = rules.remove(at: index)
        let harness = try Self.harness()
        defer { harness.stop() }
        harness.sim.addToken("sa-token", user: Self.user, groups: ["system:serviceaccounts"], rules: rules)
        let runtime = try Self.runtime(harness, token: "sa-token")
        let replica = try harness.start(runtime)
        let refusedResources = Set(dropped.resources)
        let refused = try await harness.wait(seconds: 90) {
            harness.sim.requestLog.all.contains { $0.user == Self.user && $0.code == 403 && refusedResources.contains($0.subresource.isEmpty ? $0.resource : "\($0.resource)/\($0.subresource)") }
        }
        // The failure shows where an operator looks: the scenario does not complete, and the
        // controller is not ready (caches unsynced) or reports the failed action.
        let completed = harness.completed(["shop/web", "legacy/billing"])
        await replica.stop()
        #expect(refused, "no 403 for \(dropped.resources) \(dropped.verbs)")
        #expect(!completed || !runtime.health.isReady, "the scenario still completed without \(dropped.resources)")
    }
}
