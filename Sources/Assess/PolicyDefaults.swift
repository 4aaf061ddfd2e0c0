import KubeModel

/// Cluster-wide policy: the controller's flags. Annotations on Namespaces and workloads override it.
public struct PolicyDefaults: Hashable, Sendable {
    public var mode: PolicyMode
    public var tokenLifetime: TokenLifetime
    /// Restart this long before a token expires (seconds).
    public var restartBefore: Int64
    /// Key rotation instant: tokens issued before it are rejected.
    public var tokensInvalidBefore: Timestamp?
    /// nil: restarts may start at any time.
    public var maintenanceWindow: MaintenanceWindow?
    /// `--restart-on`: the token-age estimate, or audit evidence only.
    public var restartOn: RestartOn
    /// The evidence source has been silent longer than `--evidence-max-silence`: `restart-on:
    /// evidence` falls back to the estimate until batches flow again. Set per pass by the controller.
    public var evidenceFallback = false
    /// How much earlier than `restartBefore` a herd may be started (seconds; `--max-lead`).
    public var maxLead: Int64
    /// Audiences the API server accepts as its own (`--api-audiences`); a projected token whose
    /// audience is empty or one of these is an API token.
    public var apiAudiences: Set<String>

    public static let defaultAPIAudiences: Set<String> = [
        "https://kubernetes.default.svc.cluster.local", "https://kubernetes.default.svc", "kubernetes.default.svc",
    ]

    /// 90 days: a year-old upgrade herd of a few thousand workloads fits one slot and a nightly
    /// window of a few hours.
    public static let defaultMaxLead: Int64 = 90 * 86_400

    public init(
        mode: PolicyMode = .restart, tokenLifetime: TokenLifetime = .upstreamDefault,
        restartBefore: Int64 = 30 * 86_400, tokensInvalidBefore: Timestamp? = nil,
        maintenanceWindow: MaintenanceWindow? = nil, maxLead: Int64 = PolicyDefaults.defaultMaxLead,
        apiAudiences: Set<String> = PolicyDefaults.defaultAPIAudiences, restartOn: RestartOn = .estimate
    ) {
        self.restartOn = restartOn
        self.mode = mode
        self.tokenLifetime = tokenLifetime
        self.restartBefore = restartBefore
        self.tokensInvalidBefore = tokensInvalidBefore
        self.maintenanceWindow = maintenanceWindow
        self.maxLead = max(0, maxLead)
        self.apiAudiences = apiAudiences
    }
}
