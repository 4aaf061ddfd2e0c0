import Assess
import KubeModel
import Plan

/// The ACTION column: what the plan decided, or (without a plan) what the policy will do.
enum ActionText {
    static func text(_ w: WorkloadAssessment, decision: Decision?, now: Timestamp) -> String {
        if let decision { return text(decision.action, now: now) }
        switch w.classification {
        case .outOfScope: return "-"
        case .unprotectable: return "warn (cannot help)"
        case .unconfirmed: return "warn (no evidence)"
        case .ok:
            guard let due = w.restartDue else { return "-" }
            let verb = w.policy.mode == .restart && w.strategy != .warnOnly ? "restart" : "warn"
            return "\(verb) in \(HumanDuration.format(due - now))"
        case .confirmedStale, .invalidated, .expired, .atRisk:
            if w.policy.mode == .report { return "warn (report mode)" }
            return w.strategy == .warnOnly ? "warn only" : "restart (\(w.strategy.rawValue))"
        }
    }

    static func text(_ action: PlanAction, now: Timestamp) -> String {
        switch action {
        case .restart(let strategy, let resume): return "\(resume ? "resume" : "restart") (\(strategy.rawValue))"
        case .deferred(let cause, let until):
            let when = until.map { " \(HumanDuration.format(max(0, $0 - now)))" } ?? ""
            switch cause {
            case .window: return "wait window\(when)"
            case .cooldown: return "cooldown\(when)"
            case .clusterLimit: return "queued (cluster limit)"
            case .namespaceLimit: return "queued (namespace limit)"
            case .rolloutInProgress: return "wait rollout"
            case .backoff: return "backoff\(when)"
            }
        case .inProgress(let since): return "restarting \(HumanDuration.format(now - since))"
        case .rolloutTimedOut: return "timed out"
        case .warnOnly(let reason):
            switch reason {
            case .reportMode: return "warn (report mode)"
            case .noRestartStrategy: return "warn only"
            case .strategyBlocked: return "warn (blocked)"
            case .unprotectable: return "warn (cannot help)"
            }
        case .alreadyRestarted: return "already restarted"
        }
    }
}
