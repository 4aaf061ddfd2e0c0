import Assess
import KubeModel

/// What the controller should do about one workload now.
public enum PlanAction: Hashable, Sendable {
    /// Start (or, for an interrupted eviction sequence, resume) a restart this way.
    case restart(RestartMethod, resume: Bool)
    /// Not now; `until` is when it may become possible (nil: when something else changes).
    case deferred(DeferCause, until: Timestamp?)
    /// A restart of ours is running; counts against the limits.
    case inProgress(since: Timestamp)
    /// Our restart has run longer than the rollout timeout: report it and skip the workload.
    case rolloutTimedOut(since: Timestamp)
    /// Nothing may be done: say so (Warning Event).
    case warnOnly(WarnReason)
    /// A restart was already made for this deadline; never twice (pods with the old token remain).
    case alreadyRestarted(forDeadline: Timestamp)

    /// Short kebab-case name for logs, metrics and JSON.
    public var name: String {
        switch self {
        case .restart(_, let resume): return resume ? "resume-restart" : "restart"
        case .deferred: return "deferred"
        case .inProgress: return "in-progress"
        case .rolloutTimedOut: return "rollout-timed-out"
        case .warnOnly: return "warn-only"
        case .alreadyRestarted: return "already-restarted"
        }
    }
}

public enum DeferCause: String, Hashable, Sendable, Codable {
    case window
    case clusterLimit = "cluster-limit"
    case namespaceLimit = "namespace-limit"
    case cooldown
    /// Someone else's rollout is replacing the pods anyway.
    case rolloutInProgress = "rollout-in-progress"
    /// A write for this workload was refused or failed: not tried again before `until`.
    case backoff
}

public enum WarnReason: String, Hashable, Sendable, Codable {
    /// `mode: report` (dry run).
    case reportMode = "report-mode"
    /// Bare pod or Job pod without an opt-in strategy.
    case noRestartStrategy = "no-restart-strategy"
    /// The chosen strategy cannot work here (paused Deployment / OnDelete with an explicit rollout).
    case strategyBlocked = "strategy-blocked"
    /// A restart cannot help (token lifetime none or not longer than restart-before).
    case unprotectable
}
