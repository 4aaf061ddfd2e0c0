import APIClient
import Assess
import Evidence
import Plan
import WatchCache

/// Everything `token-warden run` was told, resolved and validated.
public struct ControllerConfiguration: Sendable {
    public struct LeaderElection: Sendable {
        public var namespace: String
        public var leaseName: String
        public var identity: String
        public var leaseDurationSeconds: Double
        public var renewDeadlineSeconds: Double
        public var retryPeriodSeconds: Double

        public init(
            namespace: String, leaseName: String = "token-warden", identity: String,
            leaseDurationSeconds: Double = 15, renewDeadlineSeconds: Double = 10, retryPeriodSeconds: Double = 2
        ) {
            self.namespace = namespace
            self.leaseName = leaseName
            self.identity = identity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.renewDeadlineSeconds = renewDeadlineSeconds
            self.retryPeriodSeconds = retryPeriodSeconds
        }

        /// Where the Lease lives: the flag; else the pod's namespace (in a pod) or the context's;
        /// else `token-warden` — the namespace deploy/ installs into and its Role covers.
        public static func namespace(flag: String?, cluster: ClusterConfig) -> String {
            flag ?? cluster.declaredNamespace ?? "token-warden"
        }
    }

    /// Policy defaults (mode, lifetime, restart-before, key rotation, window); annotations override.
    public var defaults: PolicyDefaults
    /// `--token-lifetime auto`: the cluster-wide lifetime is read from the controller's own token
    /// (`defaults.tokenLifetime` applies until then, and when it cannot be read).
    public var detectsTokenLifetime: Bool
    public var planner: PlannerConfig
    /// nil: every namespace.
    public var namespaces: [String]?
    /// A PDB-blocked or stuck eviction sequence gives up (and says so) after this long.
    public var evictTimeoutSeconds: Int64
    /// nil: no election; this instance acts alone.
    public var leaderElection: LeaderElection?
    /// `host:port` for /metrics, /healthz and /readyz; nil: no endpoint server.
    public var httpAddress: String?
    /// The audit webhook's TLS listener and credentials; nil: no webhook.
    public var auditWebhook: AuditWebhookSettings?
    /// With the webhook: no authenticated batch for this long makes `restart-on: evidence` fall
    /// back to the estimate (`--evidence-max-silence`).
    public var evidenceMaxSilenceSeconds: Int64 = 1800
    /// This replica's own pod (Events about the controller, its audit batch time); nil: in a pod the
    /// runtime finds it (`ControllerPod`: its token's claims, else HOSTNAME), outside a cluster none.
    public var ownPod: ObjectRef?
    /// Cluster-wide pace of announcements (the Events a pass derives from what it sees: at risk,
    /// deferred, would restart, …): a burst, then this many per second; the rest wait for later
    /// passes. On a cluster where thousands of workloads are at risk at once, the first pass
    /// would otherwise write an Event for each within seconds.
    public var announcementBurst: Int
    public var announcementsPerSecond: Double
    /// How long a workload whose write was refused or failed waits before it is tried again.
    public var backoff: BackoffPolicy
    /// How the caches are filled at start and after a 410 (`--initial-sync`): by streaming watch
    /// where the server supports it (falling back to a paged LIST per resource), or always listed.
    public var initialSync: InitialSync
    /// Assess every workload at every pass (`--reconcile full`) instead of only those whose inputs
    /// or clock-driven classification changed: the reference the incremental pass is checked against.
    public var fullPasses = false

    public init(
        defaults: PolicyDefaults = PolicyDefaults(), planner: PlannerConfig = PlannerConfig(),
        namespaces: [String]? = nil, evictTimeoutSeconds: Int64 = 600, leaderElection: LeaderElection? = nil,
        httpAddress: String? = "0.0.0.0:8080", auditWebhook: AuditWebhookSettings? = nil,
        announcementBurst: Int = 200, announcementsPerSecond: Double = 20, backoff: BackoffPolicy = BackoffPolicy(),
        detectsTokenLifetime: Bool = false, initialSync: InitialSync = .stream
    ) {
        self.defaults = defaults
        self.detectsTokenLifetime = detectsTokenLifetime
        self.planner = planner
        self.namespaces = namespaces
        self.evictTimeoutSeconds = evictTimeoutSeconds
        self.leaderElection = leaderElection
        self.httpAddress = httpAddress
        self.auditWebhook = auditWebhook
        self.announcementBurst = announcementBurst
        self.announcementsPerSecond = announcementsPerSecond
        self.backoff = backoff
        self.initialSync = initialSync
    }

    /// Report mode: everything but the writes; Events say what would happen.
    public var dryRun: Bool { defaults.mode == .report }
}
