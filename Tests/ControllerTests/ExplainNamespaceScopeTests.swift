import Foundation
import KubeSim
import Testing
import TestSupport

/// `explain` plans over every namespace (the limits are cluster-wide); who may read only their own
/// namespace gets the plan within it, and a note that says so.
@Suite struct ExplainNamespaceScopeTests {
    @Test(.enabled(if: TokenWardenBinary.url != nil, "no token-warden binary next to the test runner"))
    func aNamespaceScopedReaderIsPlannedWithinItsNamespaceAndTold() async throws {
        let fixture = try ExplainEndToEndTests.Fixture()
        defer { fixture.sim.stop() }
        // Cluster-wide, shop/checkout waits behind legacy/billing-v1 (expired) for the one slot.
        let (_, everyNamespace) = try await TokenWardenBinary.run(["explain", "deployment/checkout", "-n", "shop", "--kubeconfig", fixture.kubeconfig])
        #expect(everyNamespace.contains("now: queued (cluster limit)"), "\(everyNamespace)")

        fixture.sim.addToken("shop-reader", user: "system:serviceaccount:shop:reader", rules: [
            PolicyRule(apiGroups: ["", "apps", "batch"],
                       resources: ["pods", "replicasets", "deployments", "statefulsets", "daemonsets", "replicationcontrollers", "jobs"],
                       verbs: ["get", "list", "watch"], namespaces: ["shop"]),
            PolicyRule(apiGroups: [""], resources: ["namespaces"], verbs: ["get"], resourceNames: ["shop"]),
        ])
        let kubeconfig = fixture.kubeconfig + "-shop-reader"
        try fixture.sim.writeKubeconfig(path: kubeconfig, token: "shop-reader", user: "shop-reader")
        let binary = try #require(TokenWardenBinary.url)
        let outcome = try await ChildProcess.runAsync(binary.path, ["explain", "deployment/checkout", "-n", "shop", "--kubeconfig", kubeconfig],
                                                      timeoutSeconds: 60)
        #expect(outcome.status == 1, "\(outcome.errorOutput)")
        #expect(outcome.errorOutput.contains("note: cannot read every namespace"), "\(outcome.errorOutput)")
        #expect(outcome.errorOutput.contains("planned within namespace shop only"))
        #expect(outcome.output.contains("now: restart (rollout)"), "\(outcome.output)")
    }
}
