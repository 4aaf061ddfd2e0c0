import APIClient
import Assess
import Controller
import Foundation
import KubeSim
import Logging
import Observe
import Plan
import ReliabilitySuite
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport
import Transport

/// A simulated cluster (API server + controllers + kubelet) seeded with a scenario, and helpers to
/// run one or more controller replicas against it.
final class ScenarioHarness: Sendable {
    let sim: KubeSim
    let cluster: SimulatedCluster

    /// `crds`: custom resources the simulated API server serves (none: a cluster without them).
    init(crds: [ResourceType] = [], _ build: (inout ScenarioBuilder) -> Void) throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        build(&scenario)
        sim = try SimServer.start(objects: scenario.objects, crds: crds)
        var options = ClusterOptions()
        options.readyDelay = 0.1
        cluster = SimulatedCluster(store: sim.store, options: options, logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        sim.evictionHandler = cluster.evictionHandler
        cluster.start()
    }

    func stop() {
        cluster.stop()
        sim.stop()
    }

    func runtime(identity: String = "test", mode: PolicyMode = .restart, maxConcurrent: Int = 2, perNamespace: Int = 1,
                 leaderElection: Bool = false, evictTimeout: Int64 = 30, backoff: BackoffPolicy = BackoffPolicy(),
                 metrics: WardenMetrics = WardenMetrics(),
                 onOutcome: (@Sendable (Reconciler.Outcome) -> Void)? = nil) throws -> ControllerRuntime {
        let config = ClusterConfig(
            server: sim.url, tls: TLSSettings(certificateAuthority: sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }),
            token: .fixed(sim.adminToken), origin: "test")
        let election = leaderElection
            ? ControllerConfiguration.LeaderElection(namespace: "default", identity: identity, leaseDurationSeconds: 1.5,
                                                     renewDeadlineSeconds: 1, retryPeriodSeconds: 0.2)
            : nil
        return try ControllerRuntime(
            cluster: config,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: mode),
                planner: PlannerConfig(maxConcurrent: maxConcurrent, maxConcurrentPerNamespace: perNamespace, rolloutTimeout: 60,
                                       cooldown: 5, typicalRolloutDuration: 2, resyncInterval: 1),
                evictTimeoutSeconds: evictTimeout, leaderElection: election, httpAddress: nil, backoff: backoff),
            identity: identity, logger: Logger(label: identity, factory: { _ in SwiftLogNoOpLogHandler() }), metrics: metrics,
            minimumInterval: .milliseconds(50), onOutcome: onOutcome)
    }

    /// A running controller replica; `stop(gracefully:)` ends it (false = as if killed: no lease release).
    final class Replica: Sendable {
        private let replica: ControllerReplica
        var runtime: ControllerRuntime { replica.runtime }

        init(_ runtime: ControllerRuntime) {
            replica = ControllerReplica(runtime)
        }

        /// A replica that does not end within 30 s is a failure of the test that stops it (and is
        /// left running) instead of a test run that never ends.
        func stop(gracefully: Bool = true) async {
            guard await replica.stop(gracefully: gracefully, within: 30) else {
                Issue.record("""
                    replica \(runtime.identity) did not stop within 30 s (\(gracefully ? "graceful shutdown" : "task cancelled")); \
                    \(replica.stuckIn)
                    """)
                return
            }
        }
    }

    func start(_ runtime: ControllerRuntime) throws -> Replica { Replica(runtime) }

    /// Polls `condition` every 50 ms for up to `seconds`.
    func wait(seconds: Double = 60, until condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    func events(_ reason: String) -> [String] {
        sim.store.objects(ResourceCatalog.events).compactMap { stored in
            let value = stored.value
            guard value["reason"]?.stringValue == reason else { return nil }
            let ns = value.value(at: ["involvedObject", "namespace"])?.stringValue ?? ""
            return "\(ns)/\(value.value(at: ["involvedObject", "name"])?.stringValue ?? "")"
        }
    }

    func completed(_ workloads: Set<String>) -> Bool { Set(events("RestartCompleted")).isSuperset(of: workloads) }

    /// Pod churn: a pod without a token created through the store (a watch event, so a pass).
    func churnPod(_ namespace: String, _ name: String) {
        let pod: JSONValue = ["kind": "Pod", "apiVersion": "v1", "metadata": ["name": .string(name), "namespace": .string(namespace)],
                              "spec": ["automountServiceAccountToken": false, "containers": [["name": "c", "image": "busybox"]]]]
        do {
            _ = try sim.store.create(ResourceCatalog.pods, namespace: namespace, object: pod)
        } catch {
            Issue.record("churn pod \(namespace)/\(name) not created: \(error)")
        }
    }

    /// Restart patches token-warden sent, by workload ("namespace/name"): the strategic-merge
    /// patches of the pod template (the restart state and completion are merge patches).
    func restartPatches() -> [String] {
        sim.requestLog.all.filter {
            $0.verb == "patch" && ["deployments", "statefulsets", "daemonsets"].contains($0.resource) && $0.code < 300
                && $0.contentType.contains("strategic-merge-patch")
        }
            .map { "\($0.namespace)/\($0.name)" }
    }

    func evictions() -> [String] {
        sim.requestLog.all.filter { $0.subresource == "eviction" && $0.code < 300 }.map { "\($0.namespace)/\($0.name)" }
    }
}
