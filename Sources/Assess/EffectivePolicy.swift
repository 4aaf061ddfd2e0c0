import KubeModel

/// The policy that applies to one workload after the workload → Namespace → flags lookup.
public struct EffectivePolicy: Hashable, Sendable {
    public var mode: PolicyMode
    public var tokenLifetime: TokenLifetime
    public var restartBefore: Int64
    public var tokensInvalidBefore: Timestamp?
    /// The strategy that will be used, after the per-kind table and the workload's state
    /// (a paused Deployment cannot roll by template) were taken into account.
    public var strategy: RestartStrategy
    /// Why `strategy` differs from what was asked for, if it does.
    public var strategyNote: String?
    public var maintenanceWindow: MaintenanceWindow?
    public var restartOn: RestartOn
    /// `restart-on: evidence` was asked for, but the evidence source is silent: the estimate applies.
    public var evidenceFallback = false
    /// How much earlier than `restartBefore` the planner may start the restart when a herd of
    /// deadlines would not fit the windows and limits otherwise (seconds; 0: never early).
    public var maxLead: Int64
    /// Where each value came from.
    public var origins: [PolicyAnnotation: PolicyOrigin]

    public init(
        mode: PolicyMode, tokenLifetime: TokenLifetime, restartBefore: Int64, tokensInvalidBefore: Timestamp?,
        strategy: RestartStrategy, strategyNote: String? = nil, maintenanceWindow: MaintenanceWindow?,
        restartOn: RestartOn = .estimate, maxLead: Int64 = PolicyDefaults.defaultMaxLead,
        origins: [PolicyAnnotation: PolicyOrigin] = [:]
    ) {
        self.restartOn = restartOn
        self.mode = mode
        self.tokenLifetime = tokenLifetime
        self.restartBefore = restartBefore
        self.tokensInvalidBefore = tokensInvalidBefore
        self.strategy = strategy
        self.strategyNote = strategyNote
        self.maintenanceWindow = maintenanceWindow
        self.maxLead = maxLead
        self.origins = origins
    }
}
