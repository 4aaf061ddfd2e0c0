/// Every Event reason token-warden writes, in one place. Raw values are the CamelCase reasons
/// `kubectl get events` shows (and alerting rules match on), so they never change.
public enum EventReason: String, Sendable, CaseIterable, Codable {
    /// A token's (estimated) expiry is within restart-before.
    case tokenExpiryAtRisk = "TokenExpiryAtRisk"
    /// A token is past its estimated expiry.
    case tokenExpired = "TokenExpired"
    /// A signing-key rotation (tokens-invalid-before) invalidated the tokens.
    case tokensInvalidated = "TokensInvalidated"
    /// Audit evidence: the API server saw this pod use a stale token.
    case confirmedStaleToken = "ConfirmedStaleToken"
    case restartStarted = "RestartStarted"
    /// One pod of a pod-by-pod eviction sequence was evicted.
    case podEvicted = "PodEvicted"
    case restartCompleted = "RestartCompleted"
    /// An eviction sequence ended without completing: the workload has no pods any more, or its
    /// owner was deleted and created again.
    case restartAbandoned = "RestartAbandoned"
    /// Not now: maintenance window, limits, cooldown or someone else's rollout.
    case restartDeferred = "RestartDeferred"
    case restartFailed = "RestartFailed"
    case rolloutTimedOut = "RolloutTimedOut"
    /// An eviction was refused (PodDisruptionBudget, 429).
    case evictionBlocked = "EvictionBlocked"
    /// At risk by the token-age estimate, but `restart-on: evidence` and no audit evidence: not
    /// restarted (once per deadline).
    case unconfirmedAtRisk = "UnconfirmedAtRisk"
    /// On the controller's own pod: no authenticated audit batch for `--evidence-max-silence`;
    /// `restart-on: evidence` falls back to the estimate.
    case evidenceSourceSilent = "EvidenceSourceSilent"
    /// On the controller's own pod: batches flow again; `restart-on: evidence` applies again.
    case evidenceSourceBack = "EvidenceSourceBack"
    /// A restart cannot help (token lifetime none or shorter than restart-before).
    case unprotectable = "Unprotectable"
    case invalidAnnotation = "InvalidAnnotation"
    /// Nothing may be restarted (bare pod, Job pod, blocked strategy): a warning only.
    case warnOnly = "WarnOnly"
    /// Report mode: what a restart would have done.
    case wouldRestart = "WouldRestart"
    /// Windows and limits cannot get the workload restarted before its deadline.
    case forecastMiss = "ForecastMiss"
    /// On the controller's own pod: its token shows the API server does not extend tokens
    /// (`--token-lifetime auto` found `none`), so old clients fail an hour after they start.
    case tokenExtensionOff = "TokenExtensionOff"
}
