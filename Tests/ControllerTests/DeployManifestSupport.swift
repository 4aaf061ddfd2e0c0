import Foundation
import TestSupport
import Testing
import Yams

/// Loading and rendering the manifests under deploy/ for `DeployManifestTests`.
enum DeployManifest {
    typealias Object = [String: Any]

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One kustomization with the kinds it must produce and the flags its components add.
    struct Variant: Sendable, CustomTestStringConvertible {
        let path: String
        let kinds: [String]
        let extraArgs: [String]
        var testDescription: String { path }
    }

    static let baseKinds = ["ClusterRole", "ClusterRoleBinding", "Deployment", "Namespace", "NetworkPolicy",
                            "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"]
    static let baseArgs = ["--leader-elect", "--http-address=0.0.0.0:8080", "--log-format=json", "--log-level=info"]

    static let variants: [Variant] = [
        Variant(path: "deploy/base", kinds: baseKinds, extraArgs: []),
        Variant(path: "deploy/overlays/report-only", kinds: baseKinds, extraArgs: ["--mode=report"]),
        Variant(path: "deploy/overlays/eks", kinds: baseKinds, extraArgs: ["--token-lifetime=90d"]),
        Variant(path: "deploy/overlays/monitoring", kinds: (baseKinds + ["ServiceMonitor", "PrometheusRule", "ConfigMap"]).sorted(), extraArgs: []),
        Variant(path: "deploy/overlays/full",
                kinds: (baseKinds + ["ServiceMonitor", "PrometheusRule", "ConfigMap", "Service", "NetworkPolicy", "ClusterRole", "ClusterRoleBinding"]).sorted(),
                extraArgs: ["--token-lifetime=90d", "--mode=report", "--audit-webhook", "--audit-webhook-address=0.0.0.0:8443",
                            "--audit-webhook-tls-cert-file=/etc/token-warden/audit-tls/tls.crt",
                            "--audit-webhook-tls-key-file=/etc/token-warden/audit-tls/tls.key",
                            "--audit-webhook-client-ca-file=/etc/token-warden/audit-tls/ca.crt"]),
    ]

    /// The flags of `token-warden run` that make sense in-cluster (not --kubeconfig/--context).
    static let runFlags: Set<String> = [
        "--namespace", "--mode", "--token-lifetime", "--restart-before", "--tokens-invalid-before",
        "--maintenance-window", "--restart-on", "--max-concurrent", "--max-concurrent-per-namespace", "--rollout-timeout",
        "--restart-cooldown", "--resync-interval", "--evict-timeout", "--leader-elect", "--no-leader-elect",
        "--leader-election-namespace", "--leader-election-id", "--lease-duration", "--renew-deadline",
        "--retry-period", "--http-address", "--audit-webhook", "--no-audit-webhook", "--audit-webhook-address",
        "--audit-webhook-tls-cert-file", "--audit-webhook-tls-key-file", "--audit-webhook-client-ca-file",
        "--audit-webhook-token-file", "--evidence-max-silence", "--log-format", "--log-level",
    ]

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func load(file relativePath: String) throws -> [Object] {
        try parse(text(relativePath))
    }

    /// Every YAML document that is a mapping (empty documents between `---` are skipped).
    static func parse(_ yaml: String) throws -> [Object] {
        var documents = try Yams.load_all(yaml: yaml)
        var objects: [Object] = []
        while let document = documents.next() {
            if let object = document as? Object { objects.append(object) }
        }
        if let error = documents.error { throw error }
        return objects
    }

    static func kustomize(_ relativePath: String) throws -> [Object] {
        guard let kubectl = DeployTools.kubectl else { throw DeployToolError.missing("kubectl") }
        return try parse(DeployTools.run(kubectl, ["kustomize", relativePath]))
    }

    /// `helm template token-warden deploy/helm/token-warden -n token-warden` with extra values.
    static func helmTemplate(valuesJSON: String = "{}") throws -> [Object] {
        switch DeployTools.helmRenderer {
        case .helmBinary(let helm):
            let valuesFile = FileManager.default.temporaryDirectory.appendingPathComponent("tw-values-\(UUID().uuidString).json")
            try Data(valuesJSON.utf8).write(to: valuesFile)
            defer { removeQuietly(valuesFile) }
            return try parse(DeployTools.run(helm, ["template", "token-warden", "deploy/helm/token-warden",
                                                    "--namespace", "token-warden", "--values", valuesFile.path]))
        case .helmPythonSDK(let python):
            return try parse(DeployTools.run(python, ["deploy/helm/helm-template.py", "--name", "token-warden",
                                                      "--namespace", "token-warden", "--set-json", valuesJSON,
                                                      "deploy/helm/token-warden"]))
        case nil:
            throw DeployToolError.missing("helm or python3 with helm-python-sdk")
        }
    }

    static func kind(_ object: Object) -> String { object["kind"] as? String ?? "" }
    static func name(_ object: Object) -> String { value(object, "metadata.name") as? String ?? "" }
    static func namespace(_ object: Object) -> String? { value(object, "metadata.namespace") as? String }

    /// Kinds with repetitions, sorted.
    static func kinds(_ objects: [Object]) -> [String] { objects.map(kind).sorted() }

    static func one(_ objects: [Object], kind: String, name: String) throws -> Object {
        let matches = objects.filter { self.kind($0) == kind && self.name($0) == name }
        guard matches.count == 1 else { throw DeployToolError.notFound("\(kind)/\(name): \(matches.count) matches") }
        return matches[0]
    }

    static func containerArgs(_ deployment: Object) throws -> [String] {
        guard let args = value(deployment, "spec.template.spec.containers.0.args") as? [Any] else {
            throw DeployToolError.notFound("\(name(deployment)): no container args")
        }
        return args.map { "\($0)" }
    }

    /// A value at a dotted path; numbers index into sequences: `spec.containers.0.args`.
    static func value(_ object: Any, _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") {
            if let index = Int(key), let list = current as? [Any] {
                current = list.indices.contains(index) ? list[index] : nil
            } else {
                current = (current as? Object)?[String(key)]
            }
        }
        return current
    }

    /// Structural equality of decoded YAML values (key order does not matter).
    static func same(_ lhs: Any?, _ rhs: Any?) -> Bool {
        canonical(lhs) == canonical(rhs)
    }

    private static func canonical(_ value: Any?) -> String {
        switch value {
        case nil: return "nil"
        case let object as Object:
            return "{" + object.keys.sorted().map { "\($0):\(canonical(object[$0]))" }.joined(separator: ",") + "}"
        case let list as [Any]:
            return "[" + list.map(canonical).joined(separator: ",") + "]"
        case let some?:
            return "\(type(of: some)):\(some)"
        }
    }

    private static func removeQuietly(_ url: URL) {
        do { try FileManager.default.removeItem(at: url) } catch {
            // A leftover temporary values file is harmless.
        }
    }
}

/// RBAC rules flattened to one `group|resource|verb` string per permission.
enum DeployRBAC {
    static let expectedClusterRole: Set<String> = grants([
        ("", ["pods"], ["get", "list", "watch", "patch"]),
        ("", ["pods/eviction"], ["create"]),
        ("", ["replicationcontrollers"], ["get", "list", "watch", "patch"]),
        ("", ["namespaces"], ["get", "list", "watch"]),
        ("", ["events"], ["create", "patch"]),
        ("apps", ["deployments", "statefulsets", "daemonsets"], ["get", "list", "watch", "patch"]),
        ("apps", ["replicasets"], ["get", "list", "watch", "patch"]),
        ("batch", ["jobs"], ["get", "list", "watch", "patch"]),
    ])
    static let expectedLeaderElectionRole: Set<String> = grants([("coordination.k8s.io", ["leases"], ["get", "create", "update"])])
    static let expectedRecreate: Set<String> = grants([("", ["pods"], ["create", "delete"])])

    static func grants(_ rules: [(group: String, resources: [String], verbs: [String])]) -> Set<String> {
        Set(rules.flatMap { rule in rule.resources.flatMap { resource in rule.verbs.map { "\(rule.group)|\(resource)|\($0)" } } })
    }

    static func grants(_ role: DeployManifest.Object) throws -> Set<String> {
        guard let rules = role["rules"] as? [DeployManifest.Object] else {
            throw DeployToolError.notFound("\(DeployManifest.name(role)): no rules")
        }
        var result: Set<String> = []
        for rule in rules {
            #expect(rule["resourceNames"] == nil && rule["nonResourceURLs"] == nil, "unexpected rule shape in \(DeployManifest.name(role))")
            let groups = (rule["apiGroups"] as? [Any] ?? []).map { "\($0)" }
            let resources = (rule["resources"] as? [Any] ?? []).map { "\($0)" }
            let verbs = (rule["verbs"] as? [Any] ?? []).map { "\($0)" }
            for group in groups { result.formUnion(grants([(group, resources, verbs)])) }
        }
        return result
    }
}

/// The security settings every rendering of the controller's Deployment must carry.
enum DeployHardening {
    static func check(_ deployment: DeployManifest.Object) throws {
        func at(_ path: String) -> Any? { DeployManifest.value(deployment, path) }
        let pod = "spec.template.spec", container = "spec.template.spec.containers.0"
        #expect(at("spec.replicas") as? Int == 2)
        #expect(at("\(pod).automountServiceAccountToken") as? Bool == true)
        #expect(at("\(pod).serviceAccountName") as? String == "token-warden")
        #expect(at("\(pod).securityContext.runAsNonRoot") as? Bool == true)
        #expect(at("\(pod).securityContext.seccompProfile.type") as? String == "RuntimeDefault")
        #expect(at("\(pod).topologySpreadConstraints.0.topologyKey") as? String == "kubernetes.io/hostname")
        #expect(at("\(pod).hostNetwork") == nil && at("\(pod).hostPID") == nil)
        #expect(at("\(container).securityContext.runAsNonRoot") as? Bool == true)
        #expect(at("\(container).securityContext.runAsUser") as? Int == 65532)
        #expect(at("\(container).securityContext.readOnlyRootFilesystem") as? Bool == true)
        #expect(at("\(container).securityContext.allowPrivilegeEscalation") as? Bool == false)
        #expect(DeployManifest.same(at("\(container).securityContext.capabilities.drop"), ["ALL"]))
        #expect(at("\(container).securityContext.capabilities.add") == nil)
        #expect(at("\(container).securityContext.seccompProfile.type") as? String == "RuntimeDefault")
        #expect(at("\(container).livenessProbe.httpGet.path") as? String == "/healthz")
        #expect(at("\(container).readinessProbe.httpGet.path") as? String == "/readyz")
        #expect(at("\(container).resources.requests.cpu") as? String == "125m")
        #expect(at("\(container).resources.requests.memory") as? String == "448Mi")
        #expect(at("\(container).resources.limits.memory") as? String == "640Mi")
        #expect(at("\(container).env") == nil && at("\(container).envFrom") == nil, "no environment, hence no Secret references")
        let volumes = at("\(pod).volumes") as? [DeployManifest.Object] ?? []
        #expect(volumes.allSatisfy { $0["secret"] == nil && $0["hostPath"] == nil }, "no Secret or hostPath volumes")
    }
}

enum DeployToolError: Error, CustomStringConvertible {
    case missing(String)
    case notFound(String)
    case failed(command: String, status: Int32, stderr: String)

    var description: String {
        switch self {
        case .missing(let tool): return "missing tool: \(tool)"
        case .notFound(let what): return "not found: \(what)"
        case .failed(let command, let status, let stderr): return "\(command) exited \(status): \(stderr)"
        }
    }
}

/// The external tools, found on PATH once.
enum DeployTools {
    enum HelmRenderer: Sendable {
        case helmBinary(String)
        case helmPythonSDK(String)
    }

    static let kubectl: String? = which("kubectl")

    static let helmRenderer: HelmRenderer? = {
        if let helm = which("helm") { return .helmBinary(helm) }
        guard let python = which("python3") else { return nil }
        do {
            _ = try run(python, ["-c", "import helm_python"])
            return .helmPythonSDK(python)
        } catch {
            return nil // not installed: the Helm tests are skipped with their reason
        }
    }()

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool in the repository root.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.run(executable, arguments, directory: DeployManifest.root.path, timeoutSeconds: 300)
        guard outcome.status == 0 else {
            throw DeployToolError.failed(command: ([executable] + arguments).joined(separator: " "),
                                         status: outcome.status, stderr: outcome.errorOutput)
        }
        return outcome.output
    }
}
