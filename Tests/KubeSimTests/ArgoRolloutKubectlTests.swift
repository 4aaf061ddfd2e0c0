import Foundation
import KubeSim
import Testing
import TestSupport

/// kubectl against the simulated cluster's Argo Rollouts CRD: discovery lists it, `kubectl get
/// rollouts.argoproj.io` prints the CRD's columns, and the merge patch of `spec.restartAt` that
/// `kubectl argo rollouts restart` sends restarts every pod and completes in `status.restartedAt`.
@Suite("kubectl and Argo Rollouts on the simulated cluster", .serialized)
struct ArgoRolloutKubectlTests {
    static let manifest = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: app
                  image: example/app:1
          strategy:
            canary:
              maxSurge: 1
              maxUnavailable: 0
        """

    @Test func kubectlSeesTheRolloutAndItsRestartAtCompletes() throws {
        guard let h = try ClusterKubectlTests.harness(crds: [ResourceCatalog.argoRollouts]) else { return }
        let served = try h.run(["api-resources", "--api-group=argoproj.io", "-o", "name"])
        #expect(served.status == 0 && served.stdout.contains("rollouts.argoproj.io"), "\(served.stdout) \(served.stderr)")
        let applied = try h.run(["apply", "-f", "-"], stdin: Self.manifest)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try wait(20) { h.readyPodUIDs(app: "web").count == 2 })
        let listed = try h.run(["get", "rollouts.argoproj.io", "-n", "shop"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let header = listed.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.split(separator: " ").map(String.init) == ["NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "AGE"], "\(listed.stdout)")
        #expect(listed.stdout.contains("web"))

        let before = h.readyPodUIDs(app: "web")
        Thread.sleep(forTimeInterval: 1.1)  // restartAt has second resolution: the pods must be older than it
        let restartAt = RFC3339.format(unixSeconds: Int64(Date().timeIntervalSince1970))
        let patched = try h.run(["patch", "-n", "shop", "rollouts.argoproj.io/web", "--type", "merge",
                                 "-p", #"{"spec":{"restartAt":"\#(restartAt)"}}"#])
        #expect(patched.status == 0, "\(patched.stderr)")
        // Argo sets restartedAt once no pod is older than restartAt; the last one may still be starting.
        var status = ""
        #expect(try wait(30) {
            status = try h.run(["get", "-n", "shop", "rollouts.argoproj.io/web", "-o",
                                "jsonpath={.status.restartedAt} {.status.phase} {.status.availableReplicas}"]).stdout
            return status == "\(restartAt) Healthy 2"
        }, "\(status)")
        let after = h.readyPodUIDs(app: "web")
        #expect(after.count == 2 && after.isDisjoint(with: before), "every pod replaced")
    }

    private func wait(_ seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}

extension ClusterKubectlTests.Harness {
    /// Ready, not terminating pods labelled `app`.
    func readyPodUIDs(app: String) -> Set<String> {
        Set(sim.store.objects(ResourceCatalog.pods, namespace: "shop").filter { pod in
            pod.labels["app"] == app && !pod.deletionPending
                && (pod.value.value(at: ["status", "conditions"])?.arrayValue ?? []).contains {
                    $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
                }
        }.map(\.uid))
    }
}
