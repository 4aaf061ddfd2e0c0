import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Plan
import Report
import ServiceLifecycle
import Synchronization
import APIClient
import Transport

/// `token-warden demo`: a simulated cluster in this process, the real controller against it over
/// HTTPS and libcurl, a live account of what happens, and a summary.
///
/// The timeline is compressed: the controller re-evaluates every second, a restarted workload
/// cools down for 5 s instead of an hour, and the simulated kubelet starts pods in a fraction
/// of a second. Everything else — the model, the limits, the windows, the PDB — is the product's.
public struct DemoRunner: Sendable {
    public var timeLimitSeconds: Double
    public var output: @Sendable (String) -> Void

    public init(timeLimitSeconds: Double = 50, output: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.timeLimitSeconds = timeLimitSeconds
        self.output = output
    }

    public func run() async throws -> DemoSummary {
        let scenario = DemoScenario()
        var options = KubeSim.Options()
        options.logger = Logger(label: "kube-sim", factory: { _ in SwiftLogNoOpLogHandler() })
        let sim = try KubeSim(options: options)
        try sim.load(scenario.objects)
        var clusterOptions = ClusterOptions()
        clusterOptions.readyDelay = 0.8  // slow enough to follow the account as it happens
        let simulated = SimulatedCluster(store: sim.store, options: clusterOptions, logger: options.logger)
        sim.evictionHandler = simulated.evictionHandler
        simulated.start()
        defer { simulated.stop() }
        try sim.start()
        defer { sim.stop() }

        let narrator = DemoNarrator(output: output)
        let namespaces = scenario.objects.filter { $0["kind"]?.stringValue == "Namespace" }.count
        narrator.say("simulated cluster at \(sim.url): \(scenario.objects.count) objects in \(namespaces) namespaces")
        narrator.say("token-warden: max 2 restarts at once, 1 per namespace, restart 30 days before a token expires")
        narrator.follow(sim.store)
        defer { narrator.stop() }

        let concurrency = Atomic<Int>(0)
        let latest = Mutex<Reconciler.Outcome?>(nil)
        let configuration = ControllerConfiguration(
            defaults: PolicyDefaults(mode: .restart),
            planner: PlannerConfig(maxConcurrent: 2, maxConcurrentPerNamespace: 1, rolloutTimeout: 120, cooldown: 5,
                                   typicalRolloutDuration: 5, resyncInterval: 1),
            evictTimeoutSeconds: 60, leaderElection: nil, httpAddress: nil)
        let cluster = ClusterConfig(
            server: sim.url, tls: TLSSettings(certificateAuthority: sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) }),
            token: .fixed(sim.adminToken), origin: "demo")
        let runtime = try ControllerRuntime(
            cluster: cluster, configuration: configuration, identity: "token-warden-demo",
            logger: Logger(label: "token-warden", factory: { _ in SwiftLogNoOpLogHandler() }),
            minimumInterval: .milliseconds(100),
            onOutcome: { outcome in
                latest.withLock { $0 = outcome }
                if let running = outcome.plan?.running.count {
                    _ = concurrency.max(running, ordering: .relaxed)
                }
            })
        let group = ServiceGroup(configuration: .init(
            services: runtime.services().map { .init(service: $0) }, gracefulShutdownSignals: [],
            logger: Logger(label: "demo", factory: { _ in SwiftLogNoOpLogHandler() })))
        let started = ContinuousClock.now
        let controller = Task { try await group.run() }

        var summary = DemoSummary(seconds: 0, restarted: [], podsEvicted: 0, deferred: [], warnings: [:], complete: false, maximumConcurrentRestarts: 0)
        while ContinuousClock.now - started < .seconds(timeLimitSeconds) {
            try await Task.sleep(for: .milliseconds(250))
            summary = Self.summarise(narrator.recorded)
            if summary.restarted.isSuperset(of: DemoScenario.expectedRestarts) { break }
        }
        await group.triggerGracefulShutdown()
        _ = await controller.result
        summary = Self.summarise(narrator.recorded)
        summary.seconds = Double((ContinuousClock.now - started).components.seconds)
        summary.complete = summary.restarted.isSuperset(of: DemoScenario.expectedRestarts)
        summary.maximumConcurrentRestarts = concurrency.load(ordering: .relaxed)

        narrator.say("")
        if let outcome = latest.withLock({ $0 }), let assessment = outcome.assessment {
            output("Where things stand now (token-warden report):")
            output(ReportRenderer(assessment: assessment, plan: outcome.plan, options: ReportOptions(format: .table)).render())
        }
        output(Self.closing(summary))
        return summary
    }

    static func summarise(_ lines: [DemoNarrator.Line]) -> DemoSummary {
        var summary = DemoSummary(seconds: 0, restarted: [], podsEvicted: 0, deferred: [], warnings: [:], complete: false, maximumConcurrentRestarts: 0)
        for line in lines {
            let name = line.object.split(separator: " ").last.map(String.init) ?? line.object
            switch line.reason {
            case "RestartCompleted": summary.restarted.insert(name)
            case "PodEvicted": summary.podsEvicted += 1
            case "RestartDeferred": summary.deferred.insert(name)
            default: break
            }
            if line.type == "Warning" { summary.warnings[line.reason, default: 0] += 1 }
        }
        return summary
    }

    static func closing(_ s: DemoSummary) -> String {
        let warnings = s.warnings.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return """
            Summary after \(Int(s.seconds)) s: \(s.restarted.count) workloads restarted (\(s.restarted.sorted().joined(separator: ", "))), \
            \(s.podsEvicted) pods evicted one at a time, at most \(s.maximumConcurrentRestarts) restarts at once; \
            deferred: \(s.deferred.sorted().joined(separator: ", ")); warnings: \(warnings.isEmpty ? "none" : warnings).
            \(s.complete ? "Every workload that could be restarted was restarted before its deadline." : "Not every expected restart finished within the time limit.")
            """
    }
}
