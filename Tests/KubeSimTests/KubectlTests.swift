import Foundation
import KubeSim
import Testing
import TestSupport

/// kubectl — a real client nobody here wrote — against the simulator through a written kubeconfig.
@Suite("kubectl against KubeSim", .serialized)
struct KubectlTests {
    static let kubectl: String? = {
        let candidates = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/kubectl" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A started sim with two namespaces and pods, plus a kubeconfig for `token` (admin by default).
    final class Harness: @unchecked Sendable {  // immutable after init
        let sim: KubeSim
        let directory: URL
        let kubectl: String

        init(kubectl: String) throws {
            sim = try SimServer.start(objects: [
                ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-1", "namespace": "shop", "labels": ["app": "web"]],
                 "spec": ["containers": [["name": "c", "image": "nginx"]], "nodeName": "node-a"],
                 "status": ["phase": "Running", "containerStatuses": [["name": "c", "ready": true, "restartCount": 0]]]],
                ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "db-0", "namespace": "data"],
                 "spec": ["containers": [["name": "c", "image": "postgres"]]], "status": ["phase": "Pending"]],
            ])
            directory = try SimServer.temporaryDirectory("kubectl")
            self.kubectl = kubectl
            try sim.writeKubeconfig(path: kubeconfig())
        }

        deinit {
            sim.stop()
            try? FileManager.default.removeItem(at: directory)  // best-effort cleanup of a temp dir
        }

        func kubeconfig(_ name: String = "admin") -> String {
            directory.appendingPathComponent("\(name).kubeconfig").path
        }

        func run(_ arguments: [String], config: String? = nil, timeout: Double = 20) throws -> CommandResult {
            let environment = ["KUBECONFIG": config ?? kubeconfig(), "HOME": directory.path, "PATH": "/usr/bin:/bin"]
            return try CommandRunner.run(kubectl, arguments + ["--request-timeout=10s"], environment: environment,
                                         timeoutSeconds: timeout)
        }
    }

    static func harness() throws -> Harness? {
        guard let kubectl else {
            print("kubectl not found: skipping kubectl tests")
            return nil
        }
        return try Harness(kubectl: kubectl)
    }

    @Test func getPodsInAllNamespaces() throws {
        guard let h = try Self.harness() else { return }
        let result = try h.run(["get", "pods", "-A"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        #expect(lines.contains { $0.prefix(5) == ["shop", "web-1", "1/1", "Running", "0"] })
        #expect(lines.contains { $0.prefix(4) == ["data", "db-0", "0/1", "Pending"] })
        // describe reads the pod and its events (field selectors on involvedObject.*).
        let describe = try h.run(["describe", "pod", "web-1", "-n", "shop"])
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.stdout.contains("web-1") && describe.stdout.contains("Events:"))
    }

    @Test func watchSeesAChange() throws {
        guard let h = try Self.harness() else { return }
        let output = LockedBox<CommandResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let result = try? h.run(["get", "pods", "-A", "-w"], timeout: 4)  // checked below through `output`
            output.mutate { $0 = result }
            done.signal()
        }.start()
        var waited = 0
        // Requests are logged when they end: the list that precedes the watch.
        while !h.sim.requestLog.all.contains(where: { $0.verb == "list" && $0.resource == "pods" }) && waited < 300 {
            usleep(10_000)
            waited += 1
        }
        usleep(500_000)
        try h.sim.store.create(ResourceCatalog.pods, namespace: "shop",
                               object: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-2"],
                                        "spec": ["containers": [["name": "c", "image": "nginx"]]]])
        #expect(done.wait(timeout: .now() + 15) == .success)
        let result = try #require(output.value)
        #expect(result.stdout.contains("web-1"))
        #expect(result.stdout.contains("web-2"), "the watch printed the new pod: \(result.stdout) \(result.stderr)")
    }

    @Test func annotateCreateAndEvents() throws {
        guard let h = try Self.harness() else { return }
        let annotate = try h.run(["annotate", "pod", "web-1", "-n", "shop", "token-warden.dev/mode=report"])
        #expect(annotate.status == 0, "\(annotate.stderr)")
        #expect(annotate.stdout.contains("pod/web-1 annotated"))
        let pod = try #require(h.sim.store.get(ResourceCatalog.pods, namespace: "shop", name: "web-1"))
        #expect(pod.value.value(at: ["metadata", "annotations", "token-warden.dev/mode"])?.stringValue == "report")

        let manifest = h.directory.appendingPathComponent("objects.yaml")
        try """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: demo
            spec:
              replicas: 2
              selector:
                matchLabels: {app: api}
              template:
                metadata:
                  labels: {app: api}
                spec:
                  containers:
                  - name: api
                    image: example/api:1
            """.write(to: manifest, atomically: true, encoding: .utf8)
        let create = try h.run(["create", "-f", manifest.path])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("namespace/demo created"))
        #expect(create.stdout.contains("deployment.apps/api created"))
        let deployment = try #require(h.sim.store.get(ResourceCatalog.deployments, namespace: "demo", name: "api"))
        #expect(deployment.generation == 1)
        let scale = try h.run(["scale", "deployment/api", "-n", "demo", "--replicas=3"])
        #expect(scale.status == 0, "\(scale.stderr)")
        let scaled = try #require(h.sim.store.get(ResourceCatalog.deployments, namespace: "demo", name: "api"))
        #expect(scaled.value.value(at: ["spec", "replicas"])?.intValue == 3)
        #expect(scaled.generation == 2)

        try h.sim.store.create(ResourceCatalog.events, namespace: "shop", object: [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": "web-1.restart"],
            "involvedObject": ["kind": "Pod", "name": "web-1", "namespace": "shop"],
            "reason": "TokenExpiring", "message": "token expires in 3d", "type": "Warning",
            "lastTimestamp": .string(KubeTime.format(Date())),
        ])
        let events = try h.run(["get", "events", "-A"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("TokenExpiring"))
        #expect(events.stdout.contains("pod/web-1"))
        #expect(events.stdout.contains("token expires in 3d"))
    }

    @Test func forbiddenAndUnauthorizedLikeARealServer() throws {
        guard let h = try Self.harness() else { return }
        h.sim.addToken("restricted", user: "system:serviceaccount:demo:restricted", rules: [
            PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"], namespaces: ["shop"]),
        ])
        try h.sim.writeKubeconfig(path: h.kubeconfig("restricted"), token: "restricted", user: "restricted")
        let allowed = try h.run(["get", "pods", "-n", "shop"], config: h.kubeconfig("restricted"))
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let forbidden = try h.run(["get", "pods", "-A"], config: h.kubeconfig("restricted"))
        #expect(forbidden.status != 0)
        #expect(forbidden.stderr.contains(
            "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:demo:restricted\" cannot list resource \"pods\" in API group \"\" at the cluster scope"),
            "\(forbidden.stderr)")
        let deleteForbidden = try h.run(["delete", "pod", "web-1", "-n", "shop"], config: h.kubeconfig("restricted"))
        #expect(deleteForbidden.stderr.contains(
            "pods \"web-1\" is forbidden: User \"system:serviceaccount:demo:restricted\" cannot delete resource \"pods\" in API group \"\" in the namespace \"shop\""),
            "\(deleteForbidden.stderr)")
        h.sim.revokeToken("restricted")
        let revoked = try h.run(["get", "pods", "-n", "shop"], config: h.kubeconfig("restricted"))
        #expect(revoked.status != 0)
        #expect(revoked.stderr.contains("Unauthorized"), "\(revoked.stderr)")
    }
}
