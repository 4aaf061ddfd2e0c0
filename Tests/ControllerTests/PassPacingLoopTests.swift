import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Observe
import Plan
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport
import Transport

/// The running loop's pacing against the simulated API server: a lone change after a quiet
/// period is decided within the debounce and one pass, not after the longest rest; a change of
/// nothing the controller reads runs no pass at all.
@Suite struct PassPacingLoopTests {
    static func decided(_ metrics: WardenMetrics) -> Double {
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("token_warden_event_to_decision_seconds_count") }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
    }

    @Test func aLoneChangeIsDecidedWithoutWaitingTheLongestRest() async throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 2, ageDays: 10)
        let sim = try SimServer.start(objects: scenario.objects)
        defer { sim.stop() }
        let passes = Mutex<[ContinuousClock.Instant]>([])
        let metrics = WardenMetrics()
        let cluster = ClusterConfig(
            server: sim.url, tls: TLSSettings(certificateAuthority: sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }),
            token: .fixed(sim.adminToken), origin: "test")
        // A longest rest of 5 s: a loop that rested it after every pass would decide the change
        // below about 4.5 s after it was made.
        let runtime = try ControllerRuntime(
            cluster: cluster,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: .report), planner: PlannerConfig(resyncInterval: 60), httpAddress: nil),
            identity: "pacing", logger: Logger(label: "pacing", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: metrics,
            minimumInterval: .seconds(5),
            onOutcome: { outcome in if outcome.assessment != nil { passes.withLock { $0.append(.now) } } })
        let group = ServiceGroup(configuration: .init(
            services: runtime.services().map { .init(service: $0) }, gracefulShutdownSignals: [],
            logger: Logger(label: "pacing", factory: { _ in SwiftLogNoOpLogHandler() })))
        let task = Task { try await group.run() }
        defer { task.cancel() }

        // Synced, one pass made, then half a second of quiet.
        for _ in 0..<600 where passes.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!passes.withLock { $0.isEmpty }, "no pass on synced caches within 30 s")
        try await Task.sleep(for: .milliseconds(500))
        let before = Self.decided(metrics)

        let names = sim.store.objects(ResourceCatalog.pods).compactMap { $0.value.value(at: ["metadata", "name"])?.stringValue }
        let pod = try #require(names.first)
        // Another tool's label: nothing the controller keeps of a pod changes, so no pass runs.
        let passesBefore = passes.withLock { $0.count }
        _ = try sim.store.modify(ResourceCatalog.pods, namespace: "shop", name: pod) { $0.set("changed", at: ["metadata", "labels", "touched"]) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(passes.withLock { $0.count } == passesBefore, "a pass ran for a change the controller does not read")
        #expect(Self.decided(metrics) == before)

        // The pod's readiness (its record keeps it): decided at once.
        let changed = ContinuousClock.now
        _ = try sim.store.modify(ResourceCatalog.pods, namespace: "shop", name: pod, subresource: .status) { value in
            let ready = value.value(at: ["status", "conditions"])?.arrayValue?.contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            } ?? false
            value.set(.array([["type": "Ready", "status": .string(ready ? "False" : "True")]]), at: ["status", "conditions"])
        }
        while Self.decided(metrics) == before, ContinuousClock.now - changed < .seconds(10) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let waited = ContinuousClock.now - changed
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(Self.decided(metrics) > before, "the change was never decided")
        // Milliseconds on an idle machine; the bound leaves room for a loaded one.
        #expect(waited < .seconds(2), "decided \(waited) after the change")
    }
}
