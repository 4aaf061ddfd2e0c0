import APIClient
import Assess
import Controller
import Evidence
import Foundation
import KubeSim
import Logging
import Observe
import Plan
import Synchronization
import Transport

/// A simulated cluster under load (seeded population + continuous pod churn) and the means to run
/// controller replicas against it and count what they did, as the API server saw it.
public final class ReliabilityHarness: Sendable {
    public let sim: KubeSim
    public let cluster: SimulatedCluster
    public let load: LoadProfile
    /// Scratch files (token, CA) for this scenario.
    public let directory: URL
    private let churnTask = Mutex<Task<Void, Never>?>(nil)
    public let churned = Atomic<Int>(0)

    static let quiet = Logger(label: "reliability", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(load: LoadProfile, objects: [JSONValue]) throws {
        self.load = load
        var options = KubeSim.Options()
        options.logger = Self.quiet
        var clusterOptions = ClusterOptions()
        clusterOptions.readyDelay = 0.1
        options.cluster = clusterOptions
        let sim = try KubeSim(options: options)
        try sim.load(objects)
        try sim.start()
        self.sim = sim
        guard let cluster = sim.cluster else { preconditionFailure("the simulated cluster was requested in the options") }
        self.cluster = cluster
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    public func stop() {
        stopChurn()
        sim.stop()
        // Scratch files only; a leftover temporary directory is harmless.
        _ = try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Churn

    /// Deletes random healthy pods (never at-risk ones) at the profile's rate; the simulated
    /// ReplicaSet controllers recreate them, so watches see a steady stream of changes.
    public func startChurn() {
        guard load.churnPerSecond > 0 else { return }
        let store = sim.store
        let interval = 1.0 / Double(load.churnPerSecond)
        let harness = self
        let namespaces = (0..<load.namespaces).map { "load-\($0)" }
        let task = Task.detached {
            var random = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                let namespace = namespaces.randomElement(using: &random) ?? "load-0"
                let pods = store.objects(ResourceCatalog.pods, namespace: namespace).filter { $0.name.hasPrefix("fine-") && !$0.deletionPending }
                if let pod = pods.randomElement(using: &random) {
                    do {
                        try store.delete(ResourceCatalog.pods, namespace: namespace, name: pod.name, gracePeriodSeconds: 0)
                        harness.churned.add(1, ordering: .relaxed)
                    } catch {
                        // Already gone (the kubelet or a rollout got there first): nothing to churn.
                    }
                }
                do { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) } catch { break }
            }
        }
        churnTask.withLock { $0 = task }
    }

    public func stopChurn() {
        churnTask.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    // MARK: Controller replicas

    public struct RuntimeOptions: Sendable {
        public var identity = "reliability"
        public var maxConcurrent = 2
        public var perNamespace = 1
        public var leaderElection = false
        public var evictTimeoutSeconds: Int64 = 30
        /// nil: the admin token, fixed.
        public var tokenFile: String?
        /// nil: the CA in memory.
        public var certificateAuthorityFile: String?
        public var backoff = BackoffPolicy()
        /// nil: a fresh registry per replica.
        public var metrics: WardenMetrics?
        /// nil: no audit webhook.
        public var auditWebhook: AuditWebhookSettings?
        public init() {}
    }

    public func runtime(_ options: RuntimeOptions = RuntimeOptions()) throws -> ControllerRuntime {
        let token: TokenSource = options.tokenFile.map { TokenSource.file($0) } ?? .fixed(sim.adminToken)
        let authority: TLSSettings.Source? = options.certificateAuthorityFile.map { .file($0) }
            ?? sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }
        let config = ClusterConfig(server: sim.url, tls: TLSSettings(certificateAuthority: authority), token: token, origin: "reliability")
        let election = options.leaderElection
            ? ControllerConfiguration.LeaderElection(namespace: "default", identity: options.identity, leaseDurationSeconds: 1.5,
                                                     renewDeadlineSeconds: 1, retryPeriodSeconds: 0.2)
            : nil
        return try ControllerRuntime(
            cluster: config,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: .restart),
                planner: PlannerConfig(maxConcurrent: options.maxConcurrent, maxConcurrentPerNamespace: options.perNamespace,
                                       rolloutTimeout: 60, cooldown: 5, typicalRolloutDuration: 2, resyncInterval: 1),
                evictTimeoutSeconds: options.evictTimeoutSeconds, leaderElection: election, httpAddress: nil,
                auditWebhook: options.auditWebhook, backoff: options.backoff),
            identity: options.identity, logger: Self.quiet, metrics: options.metrics ?? WardenMetrics(), minimumInterval: .milliseconds(50))
    }

    public func start(_ options: RuntimeOptions = RuntimeOptions()) throws -> ControllerReplica {
        ControllerReplica(try runtime(options))
    }

    // MARK: What the API server saw

    /// Polls `condition` every 50 ms for up to `seconds`.
    public func wait(seconds: Double, until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            do { try await Task.sleep(for: .milliseconds(50)) } catch { return condition() }
        }
        return condition()
    }

    /// Workloads ("namespace/name") named by Events with this reason.
    public func events(_ reason: String) -> [String] {
        sim.store.objects(ResourceCatalog.events).compactMap { stored in
            let value = stored.value
            guard value["reason"]?.stringValue == reason else { return nil }
            let ns = value.value(at: ["involvedObject", "namespace"])?.stringValue ?? ""
            return "\(ns)/\(value.value(at: ["involvedObject", "name"])?.stringValue ?? "")"
        }
    }

    /// "Reason: message" of every Event about one workload, oldest first (for failure reports).
    public func eventTrail(_ workload: String) -> String {
        sim.store.objects(ResourceCatalog.events).filter { stored in
            let value = stored.value
            let ns = value.value(at: ["involvedObject", "namespace"])?.stringValue ?? ""
            return "\(ns)/\(value.value(at: ["involvedObject", "name"])?.stringValue ?? "")" == workload
        }.map { "\($0.value["reason"]?.stringValue ?? ""): \($0.value["message"]?.stringValue ?? "")" }.joined(separator: " | ")
    }

    /// What deploy/base/rbac.yaml grants (resource or resource/subresource → verbs).
    static let grantedByRBAC: [String: Set<String>] = [
        "pods": ["get", "list", "watch", "patch"], "pods/eviction": ["create"],
        "replicationcontrollers": ["get", "list", "watch", "patch"], "namespaces": ["get", "list", "watch"],
        "events": ["create", "patch"], "deployments": ["get", "list", "watch", "patch"],
        "statefulsets": ["get", "list", "watch", "patch"], "daemonsets": ["get", "list", "watch", "patch"],
        "replicasets": ["get", "list", "watch", "patch"], "jobs": ["get", "list", "watch", "patch"],
        "leases": ["get", "create", "update"],
    ]

    /// Requests the controller made that its RBAC would refuse ("verb resource"); Secrets above all.
    public func requestsOutsideRBAC() -> [String] {
        // Non-resource requests (discovery, /version) are open to every authenticated user
        // (system:discovery), not granted by the controller's roles.
        let made = Set(sim.requestLog.all.filter { !$0.resource.isEmpty }.map { record in
            (record.verb, record.subresource.isEmpty ? record.resource : "\(record.resource)/\(record.subresource)")
        }.map { "\($0.0) \($0.1)" })
        return made.filter { entry in
            let parts = entry.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return true }
            return !(Self.grantedByRBAC[parts[1]]?.contains(parts[0]) ?? false)
        }.sorted()
    }

    /// "verb resource code ×count" over the request log, most frequent first.
    public func requestSummary() -> String {
        var counts: [String: Int] = [:]
        for record in sim.requestLog.all {
            let target = record.subresource.isEmpty ? record.resource : "\(record.resource)/\(record.subresource)"
            counts["\(record.verb) \(target) \(record.code)", default: 0] += 1
        }
        return counts.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    public func completed(_ workloads: Set<String>) -> Bool { Set(events("RestartCompleted")).isSuperset(of: workloads) }

    /// Every workload's restart finished: the controller said so (RestartCompleted), or, when
    /// that Event was lost to an injected fault, the server saw its rollout end. Seeded workloads
    /// are settled and churn never touches them, so any rollout of theirs is the controller's.
    public func finished(_ workloads: Set<String>) -> Bool {
        let reported = Set(events("RestartCompleted"))
        let rolledOut = Set(cluster.recorder.rollouts().filter { $0.ended != nil }.map { "\($0.namespace)/\($0.name)" })
        return workloads.allSatisfy { reported.contains($0) || rolledOut.contains($0) }
    }

    /// Successful restart patches on Deployments/StatefulSets/DaemonSets, by workload: the
    /// strategic-merge patches of the pod template (restart state and completion are merge patches).
    public func restartPatches() -> [String] {
        sim.requestLog.all.filter {
            $0.verb == "patch" && ["deployments", "statefulsets", "daemonsets"].contains($0.resource) && $0.code < 300
                && $0.contentType.contains("strategic-merge-patch")
        }
            .map { "\($0.namespace)/\($0.name)" }
    }

    public func successfulEvictions() -> [String] {
        sim.requestLog.all.filter { $0.subresource == "eviction" && $0.code < 300 }.map { "\($0.namespace)/\($0.name)" }
    }

    public func responses(code: Int) -> Int { sim.requestLog.all.filter { $0.code == code }.count }

    /// The largest number of the given workloads' rollouts that overlapped, cluster-wide and in
    /// any one namespace (churned healthy workloads are not the controller's rollouts).
    public func overlap(of workloads: Set<String>) -> (cluster: Int, namespace: Int) {
        let rollouts = cluster.recorder.rollouts(kind: "Deployment").filter { workloads.contains("\($0.namespace)/\($0.name)") }
        var points: [(Date, Int, String)] = []
        for rollout in rollouts {
            points.append((rollout.started, 1, rollout.namespace))
            points.append((rollout.ended ?? .distantFuture, -1, rollout.namespace))
        }
        points.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var open = 0, worst = 0
        var byNamespace: [String: Int] = [:]
        var worstNamespace = 0
        for (_, delta, namespace) in points {
            open += delta
            byNamespace[namespace, default: 0] += delta
            worst = max(worst, open)
            worstNamespace = max(worstNamespace, byNamespace[namespace] ?? 0)
        }
        return (worst, worstNamespace)
    }

    /// The controller's pod and Deployment caches hold exactly the server's objects.
    public func cachesConverged(_ runtime: ControllerRuntime) -> Bool {
        let serverPods = Set(sim.store.objects(ResourceCatalog.pods).map { "\($0.namespace)/\($0.name)" })
        let cachedPods = Set(runtime.caches.pods.list().map { "\($0.namespace)/\($0.name)" })
        let serverDeployments = sim.store.count(ResourceCatalog.deployments)
        return serverPods == cachedPods && runtime.caches.deployments.count == serverDeployments
    }
}
