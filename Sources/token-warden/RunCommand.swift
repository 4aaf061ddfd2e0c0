import APIClient
import ArgumentParser
import Assess
import Controller
import Evidence
import Foundation
import Logging
import Observe
import Plan
import WatchCache

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the controller: watch every pod and roll at-risk workloads before their tokens expire.",
        discussion: "Flags set cluster-wide defaults; token-warden.dev/* annotations on namespaces and workloads override them.")

    @OptionGroup var cluster: ClusterConnectionOptions
    @OptionGroup var policy: PolicyOptions

    @Option(name: [.short, .long], help: "Watch only this namespace (repeatable; default: every namespace).")
    var namespace: [String] = []

    @Option(help: "restart, or report (dry run: everything but the writes; Events say what would happen).")
    var mode: String = "restart"

    @OptionGroup var limits: PlanLimitOptions

    @Option(help: "Re-evaluate at least this often (deadlines move with the clock).")
    var resyncInterval: String = "1m"

    @Option(help: "A pod-by-pod eviction sequence that makes no progress (e.g. blocked by a PodDisruptionBudget) gives up after this long.")
    var evictTimeout: String = "10m"

    @Flag(inversion: .prefixedNo, help: "Elect one active replica through a Lease.")
    var leaderElect = true

    @Option(help: "Namespace of the leader-election Lease (default: this pod's namespace; outside a pod the context's, else token-warden).")
    var leaderElectionNamespace: String?

    @Option(help: "Name of the leader-election Lease.")
    var leaderElectionId: String = "token-warden"

    @Option(help: "Lease duration.") var leaseDuration: String = "15s"
    @Option(help: "Renew deadline.") var renewDeadline: String = "10s"
    @Option(help: "Retry period.") var retryPeriod: String = "2s"

    @Option(help: "Address for /metrics, /healthz and /readyz (HOST:PORT or :PORT).")
    var httpAddress: String = "0.0.0.0:8080"

    @Flag(inversion: .prefixedNo, help: "Accept kube-apiserver audit webhook batches (POST /audit) on their own TLS listener; needs the TLS files and a client CA or a token file.")
    var auditWebhook = false

    @Option(name: .customLong("initial-sync"),
            help: "stream (a streaming watch where the server supports it, else a paged LIST) or list (always a paged LIST).")
    var initialSync: String = "stream"

    @Option(help: "incremental (assess only the workloads whose inputs or clock-driven classification changed) or full (every workload at every pass: the reference, for comparison).")
    var reconcile: String = "incremental"

    @Option(help: "Address of the audit webhook's TLS listener (HOST:PORT or :PORT).")
    var auditWebhookAddress: String = AuditWebhookSettings.defaultAddress

    @Option(help: "The webhook's serving certificate (PEM); read again when it changes.")
    var auditWebhookTlsCertFile: String?

    @Option(help: "The webhook's private key (PEM); read again when it changes.")
    var auditWebhookTlsKeyFile: String?

    @Option(help: "Accept client certificates signed by this CA (PEM bundle): the API server's webhook kubeconfig client-certificate.")
    var auditWebhookClientCaFile: String?

    @Option(help: "Accept 'Authorization: Bearer' with this file's contents (read again when it changes): the webhook kubeconfig's token.")
    var auditWebhookTokenFile: String?

    @Option(help: "With --audit-webhook: no authenticated batch for this long makes restart-on: evidence fall back to the estimate until batches flow again.")
    var evidenceMaxSilence: String = "30m"

    @Option(help: "json or text.") var logFormat: String = "json"
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"

    func run() async throws {
        do {
            try LoggingBootstrap.bootstrap(format: logFormat, level: logLevel)
        } catch {
            throw ValidationError("\(error)")
        }
        let logger = Logger(label: "token-warden")
        guard let mode = PolicyMode(rawValue: mode), mode != .ignore else {
            throw ValidationError("--mode \(self.mode): expected restart or report")
        }
        let planner = try limits.plannerConfig(resyncInterval: try seconds(resyncInterval, "--resync-interval"))
        guard let initialSync = InitialSync(rawValue: initialSync) else {
            throw ValidationError("--initial-sync \(self.initialSync): expected stream or list")
        }
        guard ["incremental", "full"].contains(reconcile) else {
            throw ValidationError("--reconcile \(reconcile): expected incremental or full")
        }
        var webhook: AuditWebhookSettings?
        if auditWebhook {
            let settings = AuditWebhookSettings(
                address: auditWebhookAddress, certificateFile: auditWebhookTlsCertFile, privateKeyFile: auditWebhookTlsKeyFile,
                clientCAFile: auditWebhookClientCaFile, tokenFile: auditWebhookTokenFile)
            do {
                try settings.validate()
            } catch {
                throw ValidationError("\(error)")  // exit 64, before anything starts
            }
            webhook = settings
        }
        let metrics = WardenMetrics()
        metrics.bootstrapMetricsSystem()
        let clusterConfig: ClusterConfig
        do {
            clusterConfig = try cluster.load(onTokenReload: { metrics.recordTokenReload(succeeded: true) })
        } catch {
            throw ValidationError("\(error)")
        }
        var election: ControllerConfiguration.LeaderElection?
        if leaderElect {
            election = ControllerConfiguration.LeaderElection(
                namespace: ControllerConfiguration.LeaderElection.namespace(flag: leaderElectionNamespace, cluster: clusterConfig),
                leaseName: leaderElectionId,
                identity: ControllerRuntime.defaultIdentity(),
                leaseDurationSeconds: Double(try seconds(leaseDuration, "--lease-duration")),
                renewDeadlineSeconds: Double(try seconds(renewDeadline, "--renew-deadline")),
                retryPeriodSeconds: Double(try seconds(retryPeriod, "--retry-period")))
        }
        var configuration = ControllerConfiguration(
            defaults: try policy.defaults(mode: mode),
            planner: planner,
            namespaces: namespace.isEmpty ? nil : namespace,
            evictTimeoutSeconds: try seconds(evictTimeout, "--evict-timeout"),
            leaderElection: election, httpAddress: httpAddress, auditWebhook: webhook,
            detectsTokenLifetime: policy.detectsTokenLifetime, initialSync: initialSync)
        configuration.evidenceMaxSilenceSeconds = try seconds(evidenceMaxSilence, "--evidence-max-silence")
        configuration.fullPasses = reconcile == "full"
        // The controller's own pod (token claims, else HOSTNAME) is found by the runtime in a pod.
        let runtime = try ControllerRuntime(
            cluster: clusterConfig, configuration: configuration,
            identity: election?.identity ?? ControllerRuntime.defaultIdentity(), logger: logger, metrics: metrics,
            releasesStartupMemory: true)
        logger.notice("starting", metadata: [
            "version": "\(BuildInfo.version)", "server": "\(clusterConfig.server)", "mode": "\(mode.rawValue)",
            "namespaces": "\(namespace.isEmpty ? "all" : namespace.joined(separator: ","))",
            "leaderElection": "\(leaderElect)", "identity": "\(runtime.identity)",
        ])
        try await runtime.run()
    }

    private func seconds(_ text: String, _ flag: String) throws -> Int64 {
        switch DurationText.parsePositive(text) {
        case .success(let value): return value
        case .failure(let error): throw ValidationError("\(flag) \(text): \(error)")
        }
    }
}
