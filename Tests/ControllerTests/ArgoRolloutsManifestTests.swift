import Foundation
import Testing

/// The optional Argo Rollouts access: the kustomize component and the chart's
/// `argoRollouts.enabled` grant the same rules (get/list/watch/patch of rollouts.argoproj.io:
/// what the reflector and the restartAt patch use), and the default install grants none.
@Suite struct ArgoRolloutsManifestTests {
    static let expected: Set<String> = DeployRBAC.grants([("argoproj.io", ["rollouts"], ["get", "list", "watch", "patch"])])

    @Test func theComponentGrantsOnlyRollouts() throws {
        let objects = try DeployManifest.load(file: "deploy/components/argo-rollouts/rbac.yaml")
        #expect(try DeployRBAC.grants(DeployManifest.one(objects, kind: "ClusterRole", name: "token-warden-argo-rollouts")) == Self.expected)
        let binding = try DeployManifest.one(objects, kind: "ClusterRoleBinding", name: "token-warden-argo-rollouts")
        #expect(DeployManifest.same(DeployManifest.value(binding, "roleRef.name"), "token-warden-argo-rollouts"))
        #expect(DeployManifest.same(DeployManifest.value(binding, "subjects.0.name"), "token-warden"))
    }

    @Test(.enabled(if: DeployTools.helmRenderer != nil, "needs helm (or python3 + helm-python-sdk)"))
    func theHelmValueMatchesTheComponentAndIsOffByDefault() throws {
        let enabled = try DeployManifest.helmTemplate(valuesJSON: #"{"argoRollouts": {"enabled": true}}"#)
        #expect(try DeployRBAC.grants(DeployManifest.one(enabled, kind: "ClusterRole", name: "token-warden-argo-rollouts")) == Self.expected)
        let defaults = try DeployManifest.helmTemplate()
        #expect(!defaults.contains { DeployManifest.name($0) == "token-warden-argo-rollouts" })
    }
}
