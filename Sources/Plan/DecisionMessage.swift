import Assess
import KubeModel

/// The sentence an Event or a log line carries for a decision.
enum DecisionMessage {
    static func text(_ w: WorkloadAssessment, _ action: PlanAction, early: EarlyStart? = nil) -> String {
        let deadline = w.deadline.map { "token deadline \($0)" } ?? "no token deadline"
        if let early, case .restart(let strategy, _) = action {
            let herd = EarlyStart.grouped(early.lateWithout)
            return "starting restart (\(strategy.rawValue)) \(early.leadText): otherwise \(herd) workload(s) sharing the deadline window "
                + "might not be restarted in time with the current maintenance windows and limits; \(deadline)"
        }
        switch action {
        case .restart(let strategy, let resume):
            return "\(resume ? "resuming" : "starting") restart (\(strategy.rawValue)) for \(deadline): \(w.reason)"
        case .deferred(let cause, let until):
            let when = until.map { " until \($0)" } ?? ""
            switch cause {
            case .window:
                return "restart deferred\(when): outside maintenance window \"\(w.policy.maintenanceWindow?.spec ?? "")\"; \(deadline)"
            case .clusterLimit: return "restart deferred: cluster-wide limit of concurrent restarts reached; \(deadline)"
            case .namespaceLimit: return "restart deferred: limit of concurrent restarts in namespace \(w.id.namespace) reached; \(deadline)"
            case .cooldown: return "restart deferred\(when): restarted recently (cooldown); \(deadline)"
            case .rolloutInProgress: return "restart deferred: a rollout is already replacing the pods; \(deadline)"
            case .backoff: return "restart deferred\(when): its last write was refused or failed (backoff); \(deadline)"
            }
        case .inProgress(let since):
            return "restart in progress since \(since); \(deadline)"
        case .rolloutTimedOut(let since):
            return "restart started \(since) has not finished within the rollout timeout; skipping; \(deadline)"
        case .warnOnly(let reason):
            switch reason {
            case .reportMode: return "would restart (\(w.strategy.rawValue)) but mode is report; \(deadline): \(w.reason)"
            case .noRestartStrategy:
                let what = w.id.kind == .pod ? "a bare pod is never deleted unless annotated token-warden.dev/strategy: recreate"
                    : "pods of a \(w.id.kind.kindName) are not evicted unless annotated token-warden.dev/strategy: evict"
                return "cannot restart: \(what); \(deadline): \(w.reason)"
            case .strategyBlocked: return "cannot restart: \(w.policy.strategyNote ?? "strategy not possible"); \(deadline)"
            case .unprotectable: return "restart would not help: \(w.reason)"
            }
        case .alreadyRestarted(let handled):
            return "already restarted for deadline \(handled), but pods with the old token remain; not restarting again: \(w.reason)"
        }
    }
}
