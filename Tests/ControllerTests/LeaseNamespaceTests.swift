import APIClient
import Controller
import Foundation
import Testing
import TestSupport

/// The Lease goes where docs/configuration.md says and deploy/'s Role covers: the flag; else
/// the pod's (or the context's) namespace; else `token-warden` — never `default` by accident.
@Suite struct LeaseNamespaceTests {
    static func kubeconfig(namespace: String?) throws -> ClusterConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lease-ns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("config").path
        let context = namespace.map { "{cluster: sim, user: admin, namespace: \($0)}" } ?? "{cluster: sim, user: admin}"
        try """
        apiVersion: v1
        kind: Config
        current-context: sim
        clusters:
        - name: sim
          cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: \(Data("PEM".utf8).base64EncodedString())}
        users:
        - name: admin
          user: {token: abc}
        contexts:
        - name: sim
          context: \(context)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return try KubeconfigLoader.load(explicitPath: path)
    }

    @Test func theFlagThenTheContextThenTokenWarden() throws {
        let bare = try Self.kubeconfig(namespace: nil)
        #expect(bare.namespace == "default")  // what kubectl would use for the user's objects
        #expect(bare.declaredNamespace == nil)
        #expect(ControllerConfiguration.LeaderElection.namespace(flag: nil, cluster: bare) == "token-warden")
        let team = try Self.kubeconfig(namespace: "team-a")
        #expect(ControllerConfiguration.LeaderElection.namespace(flag: nil, cluster: team) == "team-a")
        #expect(ControllerConfiguration.LeaderElection.namespace(flag: "ops", cluster: team) == "ops")
    }

    /// deploy/ puts the leader-election Role and its binding in `token-warden`, the fallback.
    @Test func deploysRoleCoversTheFallbackNamespace() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rbac = try String(contentsOf: root.appendingPathComponent("deploy/base/rbac.yaml"), encoding: .utf8)
        let kustomization = try String(contentsOf: root.appendingPathComponent("deploy/base/kustomization.yaml"), encoding: .utf8)
        #expect(kustomization.contains("namespace: token-warden"))
        #expect(rbac.contains("leases"))
    }
}
