import Assess
import Controller
import Foundation
import KubeSim
import Testing

/// An Argo Rollout restarted end to end the way Argo restarts it: one merge patch of
/// `spec.restartAt` (never the pod template, which would start a canary), Argo's controller (the
/// simulator's) replaces the pods, and the controller reports completion from `status.restartedAt`.
@Suite(.serialized) struct ArgoRolloutRestartTests {
    @Test func aRolloutIsRestartedWithRestartAtFromStartedToCompleted() async throws {
        let harness = try ScenarioHarness(crds: [ResourceCatalog.argoRollouts]) { s in
            s.namespace("argo")
            s.argoRollout("argo", "canary", replicas: 2, ageDays: 360, stored: true)
        }
        defer { harness.stop() }
        let oldPods = Set(harness.sim.store.objects(ResourceCatalog.pods, namespace: "argo").map(\.uid))
        let replica = try harness.start(try harness.runtime())
        // The completion is announced, then recorded on the Rollout.
        let done = try await harness.wait(seconds: 40) {
            harness.completed(["argo/canary"])
                && harness.sim.store.get(ResourceCatalog.argoRollouts, namespace: "argo", name: "canary")?
                    .value.value(at: ["metadata", "annotations", "token-warden.dev/restart-completed-at"]) != nil
        }
        await replica.stop()
        #expect(done, "\(harness.sim.store.objects(ResourceCatalog.events).map { "\($0.value["reason"]?.stringValue ?? "") \($0.value["message"]?.stringValue ?? "")" })")

        let patches = harness.sim.requestLog.all.filter { $0.verb == "patch" && $0.resource == "rollouts" && $0.code < 300 }
        #expect(patches.first?.contentType.contains("merge-patch") == true)
        #expect(harness.evictions().isEmpty)
        #expect(harness.restartPatches().isEmpty)  // no strategic-merge patch of a template
        let rollout = try #require(harness.sim.store.get(ResourceCatalog.argoRollouts, namespace: "argo", name: "canary")).value
        let restartAt = try #require(rollout.value(at: ["spec", "restartAt"])?.stringValue)
        #expect(rollout.value(at: ["status", "restartedAt"])?.stringValue == restartAt)
        #expect(rollout.value(at: ["spec", "template", "metadata", "annotations"]) == nil, "the template is left alone")
        #expect(rollout.value(at: ["metadata", "annotations", "token-warden.dev/restart-completed-at"]) != nil)
        let started = harness.sim.store.objects(ResourceCatalog.events).filter { $0.value["reason"]?.stringValue == "RestartStarted" }
        #expect(started.count == 1)
        #expect(started.first?.value["message"]?.stringValue?.contains("spec.restartAt=\(restartAt)") == true)
        #expect(started.first?.value.value(at: ["involvedObject", "apiVersion"])?.stringValue == "argoproj.io/v1alpha1")
        #expect(harness.events("RestartCompleted") == ["argo/canary"])
        let pods = harness.sim.store.objects(ResourceCatalog.pods, namespace: "argo").filter { !$0.deletionPending }
        #expect(pods.count == 2 && Set(pods.map(\.uid)).isDisjoint(with: oldPods), "every pod replaced")
    }
}
