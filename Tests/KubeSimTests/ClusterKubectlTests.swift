import Foundation
import KubeSim
import Testing
import TestSupport

/// `kubectl rollout restart` followed by `kubectl rollout status` against the simulated cluster:
/// the real client must see the rollout complete, with every pod replaced.
@Suite("kubectl rollouts against the simulated cluster", .serialized)
struct ClusterKubectlTests {
    final class Harness: @unchecked Sendable {  // immutable after init
        let sim: KubeSim
        let directory: URL
        let kubectl: String

        init(kubectl: String, crds: [ResourceType] = []) throws {
            var options = ClusterOptions()
            options.readyDelay = 0.2
            sim = try SimServer.start(objects: [
                ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]],
            ], cluster: options, crds: crds)
            directory = try SimServer.temporaryDirectory("kubectl-rollout")
            self.kubectl = kubectl
            try sim.writeKubeconfig(path: directory.appendingPathComponent("admin.kubeconfig").path)
        }

        deinit {
            sim.stop()
            try? FileManager.default.removeItem(at: directory)  // best-effort cleanup of a temp dir
        }

        func run(_ arguments: [String], stdin: String? = nil, timeout: Double = 30) throws -> CommandResult {
            let environment = ["KUBECONFIG": directory.appendingPathComponent("admin.kubeconfig").path,
                               "HOME": directory.path, "PATH": "/usr/bin:/bin"]
            return try CommandRunner.run(kubectl, arguments, environment: environment, stdin: stdin, timeoutSeconds: timeout)
        }

        func podUIDs(app: String) -> Set<String> {
            Set(sim.store.objects(ResourceCatalog.pods, namespace: "shop").filter { $0.labels["app"] == app }.map(\.uid))
        }
    }

    static func harness(crds: [ResourceType] = []) throws -> Harness? {
        guard let kubectl = KubectlTests.kubectl else {
            print("kubectl not found: skipping kubectl rollout tests")
            return nil
        }
        return try Harness(kubectl: kubectl, crds: crds)
    }

    static func manifest(kind: String, name: String, replicas: Int?) -> String {
        let replicaLine = replicas.map { "  replicas: \($0)\n" } ?? ""
        let service = kind == "StatefulSet" ? "  serviceName: \(name)\n" : ""
        return """
            apiVersion: apps/v1
            kind: \(kind)
            metadata:
              name: \(name)
              namespace: shop
            spec:
            \(replicaLine)\(service)  selector:
                matchLabels:
                  app: \(name)
              template:
                metadata:
                  labels:
                    app: \(name)
                spec:
                  containers:
                  - name: app
                    image: example/app:1

            """
    }

    @Test(arguments: [("Deployment", "deployment", 3), ("StatefulSet", "statefulset", 3), ("DaemonSet", "daemonset", 3)])
    func rolloutRestartThenStatusCompletesWithEveryPodReplaced(kind: String, resource: String, pods: Int) throws {
        guard let h = try Self.harness() else { return }
        let name = "\(resource)-app"
        let created = try h.run(["apply", "-f", "-"], stdin: Self.manifest(kind: kind, name: name, replicas: kind == "DaemonSet" ? nil : pods))
        #expect(created.status == 0, "\(created.stderr)")
        let first = try h.run(["rollout", "status", "-n", "shop", "\(resource)/\(name)", "--timeout=60s"], timeout: 70)
        #expect(first.status == 0, "initial rollout: \(first.stdout) \(first.stderr)")
        let before = h.podUIDs(app: name)
        #expect(before.count == pods)

        let restart = try h.run(["rollout", "restart", "-n", "shop", "\(resource)/\(name)"])
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(restart.stdout.contains("restarted"))
        let status = try h.run(["rollout", "status", "-n", "shop", "\(resource)/\(name)", "--timeout=60s"], timeout: 70)
        #expect(status.status == 0, "rollout status: \(status.stdout) \(status.stderr)")
        #expect(status.stdout.contains("successfully rolled out") || status.stdout.contains("complete"), "\(status.stdout)")

        // Pods of the old revision may still be going away for a moment after kubectl is satisfied.
        let deadline = Date().addingTimeInterval(10)
        var after = h.podUIDs(app: name)
        while (after.count != pods || !after.isDisjoint(with: before)) && Date() < deadline {
            usleep(50_000)
            after = h.podUIDs(app: name)
        }
        #expect(after.count == pods)
        #expect(after.isDisjoint(with: before), "every pod replaced")
        let recorded = h.sim.cluster?.recorder.rollouts(kind: kind, namespace: "shop", name: name) ?? []
        #expect(recorded.contains { $0.ended != nil })
    }

    @Test func pausedDeploymentIsRefusedByKubectl() throws {
        guard let h = try Self.harness() else { return }
        #expect(try h.run(["apply", "-f", "-"], stdin: Self.manifest(kind: "Deployment", name: "frozen", replicas: 1)).status == 0)
        #expect(try h.run(["rollout", "pause", "-n", "shop", "deployment/frozen"]).status == 0)
        let restart = try h.run(["rollout", "restart", "-n", "shop", "deployment/frozen"])
        #expect(restart.status != 0)
        #expect(restart.stderr.contains("paused"), "\(restart.stderr)")
    }
}
