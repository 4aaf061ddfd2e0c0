import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Plan
import ServiceLifecycle
import Testing
import TestSupport
import Transport

/// The whole controller (caches over watches, reconcile, executor, Events) against the simulated
/// API server over HTTPS and libcurl.
@Suite struct ControllerEndToEndTests {
    static func runtime(_ sim: KubeSim, mode: PolicyMode = .restart, maxConcurrent: Int = 2) throws -> ControllerRuntime {
        let cluster = ClusterConfig(
            server: sim.url, tls: TLSSettings(certificateAuthority: sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }),
            token: .fixed(sim.adminToken), origin: "test")
        return try ControllerRuntime(
            cluster: cluster,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: mode),
                planner: PlannerConfig(maxConcurrent: maxConcurrent, maxConcurrentPerNamespace: 1, resyncInterval: 1),
                httpAddress: nil),
            identity: "e2e", logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() }),
            minimumInterval: .milliseconds(50))
    }

    /// Runs the controller's services until `done` holds (or 90 s pass), then shuts down gracefully.
    static func run(_ runtime: ControllerRuntime, until done: @escaping @Sendable () -> Bool) async throws -> Bool {
        let group = ServiceGroup(configuration: .init(
            services: runtime.services().map { .init(service: $0) }, gracefulShutdownSignals: [],
            logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() })))
        let task = Task { try await group.run() }
        var satisfied = false
        for _ in 0..<1800 {
            if done() { satisfied = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await group.triggerGracefulShutdown()
        try await task.value
        return satisfied
    }

    static func annotations(_ sim: KubeSim, _ namespace: String, _ name: String) -> [String: String] {
        guard let object = sim.store.get(ResourceCatalog.deployments, namespace: namespace, name: name)?.value,
              let annotations = object.value(at: ["spec", "template", "metadata", "annotations"])?.objectValue else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in annotations { out[key] = value.stringValue }
        return out
    }

    static func events(_ sim: KubeSim) -> [(reason: String, object: String)] {
        sim.store.objects(ResourceCatalog.events).map { stored in
            let value = stored.value
            return (value["reason"]?.stringValue ?? "", value.value(at: ["involvedObject", "name"])?.stringValue ?? "")
        }
    }

    @Test func rollsTheAtRiskDeploymentOnceAndLeavesTheRestAlone() async throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 2, ageDays: 340)
        scenario.deployment("shop", "api", replicas: 1, ageDays: 10)
        let sim = try SimServer.start(objects: scenario.objects)
        defer { sim.stop() }
        let runtime = try Self.runtime(sim)
        // The simulated server logs a request when its status is decided, just after the write
        // is visible in its store: wait for both.
        let patched = try await Self.run(runtime) {
            Self.annotations(sim, "shop", "web")["kubectl.kubernetes.io/restartedAt"] != nil
                && Self.events(sim).contains { $0.reason == "TokenExpiryAtRisk" }
                && sim.requestLog.all.contains { $0.verb == "patch" && $0.resource == "deployments" }
        }
        #expect(patched)
        #expect(Self.annotations(sim, "shop", "api").isEmpty)
        let patches = sim.requestLog.all.filter {
            $0.verb == "patch" && $0.resource == "deployments" && $0.contentType.contains("strategic-merge-patch")
        }
        #expect(patches.map(\.name) == ["web"])  // exactly one restart, of the right workload
        let workload = sim.store.get(ResourceCatalog.deployments, namespace: "shop", name: "web")?.value
        #expect(workload?.value(at: ["metadata", "annotations", "token-warden.dev/restart-for-deadline"])?.stringValue != nil)
        #expect(runtime.isLeader)
    }

    @Test func reportModeWritesOnlyEvents() async throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 1, ageDays: 350)
        let sim = try SimServer.start(objects: scenario.objects)
        defer { sim.stop() }
        let reported = try await Self.run(try Self.runtime(sim, mode: .report)) {
            Self.events(sim).contains { $0.reason == "WouldRestart" }
        }
        #expect(reported)
        let writes = sim.requestLog.all.filter { ["create", "patch", "update", "delete"].contains($0.verb) && $0.resource != "events" }
        #expect(writes.isEmpty, "report mode wrote \(writes)")
    }
}
