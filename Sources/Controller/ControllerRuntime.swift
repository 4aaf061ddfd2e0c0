import Act
import APIClient
import Assess
import Evidence
import Foundation
import KubeModel
import Logging
import Observe
import ServiceLifecycle
import Synchronization

/// Everything `token-warden run` is made of, wired together: client, caches, reconciler, executor,
/// events, leader election, metrics and health. `services()` hands them to one `ServiceGroup`.
public final class ControllerRuntime: Sendable {
    public let configuration: ControllerConfiguration
    public let client: KubeClient
    public let caches: ClusterCaches
    public let signal: ChangeSignal
    public let reconciler: Reconciler
    public let executor: RestartExecutor
    public let events: EventRecorder
    public let metrics: WardenMetrics
    public let health: HealthState
    public let evidence: StaleTokenEvidenceStore
    /// The cluster-wide token lifetime in use and where it came from (`--token-lifetime auto`).
    public let tokenLifetime: ClusterTokenLifetimeMonitor
    /// Writes the webhook's evidence onto the pods, on every replica.
    public let evidenceRecorder: PodEvidenceRecorder
    public let identity: String
    /// /metrics, /healthz, /readyz; nil without `httpAddress`.
    public let endpoints: ObservabilityServer?
    /// The audit webhook's TLS listener; nil without `configuration.auditWebhook`.
    public let auditWebhook: AuditWebhookServer?
    let elector: LeaderElector?
    let bridge: MetricsBridge
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    /// Controller seconds per real second (1 in production; the demo compresses time).
    let clockRate: Double
    /// When a change is taken into a pass; its longest rest between passes is `minimumInterval`.
    let pacing: PassPacing
    let onOutcome: (@Sendable (Reconciler.Outcome) -> Void)?
    /// After the first reconcile on synced caches, hand start-up-only memory back to the kernel
    /// (`ProcessMemory.releaseStartupMemory`). For the `token-warden run` process, not for
    /// controllers embedded in another process (demo, tests).
    let releasesStartupMemory: Bool
    public let leader = Atomic<Bool>(false)
    /// Where the reconcile loop is: what a replica that does not stop is stuck in.
    let loopStep = Mutex("not started")
    public var loopPosition: String { loopStep.withLock { $0 } }

    public init(
        cluster: ClusterConfig, configuration: ControllerConfiguration, identity: String = ControllerRuntime.defaultIdentity(),
        logger: Logger = Logger(label: "token-warden"), metrics: WardenMetrics = WardenMetrics(),
        clock: (@Sendable () -> Timestamp)? = nil, clockRate: Double = 1, minimumInterval: Duration = .milliseconds(200),
        onOutcome: (@Sendable (Reconciler.Outcome) -> Void)? = nil, releasesStartupMemory: Bool = false
    ) throws {
        var configuration = configuration
        if configuration.ownPod == nil, cluster.origin == InClusterConfig.origin {
            configuration.ownPod = Self.ownPod(cluster: cluster, logger: logger)
        }
        self.configuration = configuration
        self.identity = identity
        self.logger = logger
        self.metrics = metrics
        self.clockRate = clockRate
        pacing = PassPacing(maximumRest: minimumInterval)
        self.onOutcome = onOutcome
        self.releasesStartupMemory = releasesStartupMemory
        let health = HealthState()
        self.health = health
        let bridge = MetricsBridge(metrics: metrics, health: health)
        self.bridge = bridge
        let client = KubeClient(config: cluster, logger: logger, observer: bridge, userAgent: BuildInfo.userAgent)
        self.client = client
        // Deadlines are judged on the API server's clock (its Date header), not this node's.
        let serverClock = ServerClock(offset: { client.serverClockOffsetSeconds })
        let clock = clock ?? { serverClock.now() }
        self.clock = clock
        let signal = ChangeSignal()
        self.signal = signal
        caches = ClusterCaches(signal: signal)
        let tokenLifetime = ClusterTokenLifetimeMonitor(
            explicit: configuration.detectsTokenLifetime ? nil : configuration.defaults.tokenLifetime,
            token: cluster.token, inCluster: cluster.origin == InClusterConfig.origin, ownPod: configuration.ownPod, metrics: metrics,
            logger: logger)
        self.tokenLifetime = tokenLifetime
        let publication = LeasePublication(tokenLifetime: tokenLifetime)
        if let election = configuration.leaderElection {
            let config = LeaderElectionConfig(
                namespace: election.namespace, name: election.leaseName, identity: identity,
                leaseDuration: election.leaseDurationSeconds, renewDeadline: election.renewDeadlineSeconds,
                retryPeriod: election.retryPeriodSeconds)
            try config.validate()
            elector = LeaderElector(client: client, config: config, logger: logger, annotations: publication.annotations)
        } else {
            elector = nil
        }
        // Fencing: with an election, only a leader whose lease is valid with margin writes. The
        // reconciler asks before every step and Event; the client asks again before every request
        // of the leader's (`leaderWrites`). A replica in doubt of its lease (it leads, the lease
        // has lapsed) writes nothing at all, not even evidence, until it has stepped down.
        let fencingElector = elector
        let mayWrite: @Sendable () -> Bool = { fencingElector?.mayWrite ?? true }
        let leaderWrites = fencingElector.map { elector in
            client.gated(by: WriteGate(refusal: "the lease is not valid with margin (renew deadline)") { elector.admitsWrite() })
        } ?? client
        let replicaWrites = fencingElector.map { elector in
            client.gated(by: WriteGate(refusal: "this replica leads but its lease is in doubt") { !elector.isLeader || elector.admitsWrite() })
        } ?? client
        let recorder = PodEvidenceRecorder(
            writer: PodEvidenceWriter(client: replicaWrites, dryRun: configuration.dryRun, logger: logger),
            pods: caches.pods, metrics: metrics, clock: clock, backoff: configuration.backoff, logger: logger)
        evidenceRecorder = recorder
        evidence = StaleTokenEvidenceStore(onNewEvidence: { tokens in
            signal.notify()
            recorder.enqueue(tokens)
        })
        let events = EventRecorder(client: leaderWrites, instance: identity, logger: logger)
        self.events = events
        // The executor tells what it did; its Events are chosen where the pass's are (PassEffects).
        executor = RestartExecutor(client: leaderWrites, logger: logger, dryRun: configuration.dryRun) { report in
            await events.emit(PassEffects.event(for: report))
        }
        let batchClock = configuration.auditWebhook == nil ? nil : AuditBatchClock(startedAt: clock())
        var shareBatchTime: (@Sendable (Timestamp) async -> Bool)?
        if batchClock != nil, !configuration.dryRun, let pod = configuration.ownPod, let namespace = pod.namespace {
            shareBatchTime = { [logger] at in
                let body = #"{"metadata":{"annotations":{"\#(PolicyAnnotation.auditBatchAt)":"\#(at.rfc3339)"}}}"#
                do {
                    try await replicaWrites.patch(.pods, namespace: namespace, name: pod.name, type: .merge, body: Array(body.utf8))
                    return true
                } catch {
                    logger.warning("cannot note the last audit batch on this replica's pod", metadata: ["error": "\(error)"])
                    return false
                }
            }
        }
        reconciler = Reconciler(
            caches: caches, configuration: configuration, actions: ClusterWorkloadActions(executor: executor, events: events),
            evidence: evidence, metrics: metrics, batchClock: batchClock, health: health, shareBatchTime: shareBatchTime,
            clock: clock, logger: logger, mayWrite: mayWrite, clusterTokenLifetime: { tokenLifetime.current.lifetime })
        publication.attach(reconciler)
        if let address = configuration.httpAddress {
            let (host, port) = try ListenAddress.parse(address)
            let routes = ObservabilityRoutes(health: health, metrics: metrics, cacheDigests: { [caches] in caches.digests() })
            endpoints = ObservabilityServer(host: host, port: port, routes: routes, logger: logger)
        } else {
            endpoints = nil
        }
        if let settings = configuration.auditWebhook {
            let pods = caches.pods
            // Evidence for a pod the cache does not have (gone, replaced, or made up) is dropped.
            let receiver = AuditWebhookReceiver(store: evidence, metrics: metrics, logger: logger, clock: clock, podIsKnown: { observation in
                guard let name = observation.podName, let uid = observation.podUID else { return false }
                return pods.get(namespace: observation.namespace, name: name)?.uid?.description == uid
            }, batchClock: reconciler.batchClock)
            auditWebhook = try AuditWebhookServer(settings: settings, receiver: receiver, metrics: metrics, logger: logger)
        } else {
            auditWebhook = nil
        }
    }

    /// In a pod: the pod itself, from its token's claims, else HOSTNAME in the configuration's namespace (`ControllerPod`).
    static func ownPod(cluster: ClusterConfig, logger: Logger) -> ObjectRef? {
        var token: String?
        do {
            token = try cluster.token?.token()
        } catch {
            logger.warning("cannot read the own token to find the controller's pod; using HOSTNAME", metadata: ["error": "\(error)"])
        }
        return ControllerPod.resolve(token: token, hostname: ProcessInfo.processInfo.environment["HOSTNAME"], namespace: cluster.namespace)
    }

    /// The pod's name (HOSTNAME) plus a random suffix, as client-go does, so two processes never share an identity.
    public static func defaultIdentity() -> String {
        let host = ProcessInfo.processInfo.environment["HOSTNAME"] ?? ProcessInfo.processInfo.hostName
        return "\(host)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    public var isLeader: Bool { leader.load(ordering: .relaxed) }

    /// The long-running parts, in start order.
    public func services() -> [any Service] {
        var services: [any Service] = []
        if let endpoints { services.append(EndpointService(server: endpoints)) }
        if let auditWebhook { services.append(AuditWebhookService(server: auditWebhook)) }
        services.append(PodEvidenceService(recorder: evidenceRecorder))
        services.append(CacheService(runtime: self))
        services.append(ControlLoopService(runtime: self))
        return services
    }

    /// Runs every service until SIGTERM or SIGINT, then shuts down gracefully (lease released,
    /// in-flight steps abandoned cleanly: their state is in the cluster for the next leader).
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
