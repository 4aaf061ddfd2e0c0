import Assess
import KubeModel
import Plan

/// `token-warden explain`: the token-age model worked through for one workload (or one pod of
/// it), step by step, from the same assessment and plan the report shows. Nothing is computed
/// here that the assessment or the plan did not already decide; this only says how they got there.
///
/// Text: the policy and where each value came from, then per pod and container the start and
/// its source, the refresh lag, the issue time, the lifetime, the expiry and the class; the
/// evidence; the workload's deadline and classification; and what the controller will do and
/// when (the plan's action, the maintenance window, the limits, the cooldown, the forecast).
/// `-o json`: see `ExplainJSON`.
public struct ExplainRenderer: Sendable {
    public let target: ExplainTarget
    public let workload: WorkloadAssessment
    /// The pod asked about (`pod/NAME`); nil: every pod of the workload.
    public let pod: PodAssessment?
    public let decision: Decision?
    public let forecast: ForecastEntry?
    /// The limits the plan was made with.
    public let planner: PlannerConfig
    public let now: Timestamp
    /// The plan the decision came from, for the JSON's report view of the workload.
    let plan: Plan

    public init(target: ExplainTarget, workload: WorkloadAssessment, pod: PodAssessment?, plan: Plan, planner: PlannerConfig, now: Timestamp) {
        self.target = target
        self.workload = workload
        self.pod = pod
        self.plan = plan
        self.decision = plan.decision(for: workload.id)
        self.forecast = plan.forecast.first { $0.workload == workload.id }
        self.planner = planner
        self.now = now
    }

    /// The pods the explanation walks through.
    public var pods: [PodAssessment] { pod.map { [$0] } ?? workload.pods }

    /// What a person reads (ends with a newline).
    public func text() -> String {
        var out: [String] = []
        let id = workload.id
        var heading = "\(id.kind.kindName) \(id.namespace)/\(id.name)"
        if let pod { heading = "Pod \(id.namespace)/\(pod.name) (of \(heading))" }
        out.append("\(heading): \(workload.classification.displayName)")
        out.append("  \(workload.reason)")
        out.append("")
        out.append(contentsOf: policyLines())
        out.append("")
        for (index, p) in pods.enumerated() {
            if index > 0 { out.append("") }
            out.append(contentsOf: podLines(p))
        }
        out.append("")
        out.append(contentsOf: verdictLines())
        out.append("")
        out.append(contentsOf: actionLines())
        if !workload.diagnostics.isEmpty {
            out.append("")
            out.append("Invalid annotations (the next level's value applies):")
            for d in workload.diagnostics { out.append("  \(d.object): \(d.annotation)=\"\(d.value)\": \(d.problem)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func origin(_ key: PolicyAnnotation) -> PolicyOrigin { workload.policy.origins[key] ?? .defaults }

    private func originText(_ key: PolicyAnnotation) -> String {
        switch origin(key) {
        case .workload: return "from the \(workload.id.kind == .pod ? "pod" : "workload")'s annotation"
        case .namespace: return "from Namespace \(workload.id.namespace)'s annotation"
        case .defaults: return "the controller's default"
        }
    }

    private func policyLines() -> [String] {
        let policy = workload.policy
        var rows: [[String]] = [
            ["mode", policy.mode.rawValue, originText(.mode)],
            ["token-lifetime", policy.tokenLifetime.description, originText(.tokenLifetime)],
            ["restart-before", DurationText.format(policy.restartBefore), originText(.restartBefore)],
            ["tokens-invalid-before", policy.tokensInvalidBefore?.rfc3339 ?? "unset", originText(.tokensInvalidBefore)],
            ["strategy", policy.strategy.rawValue, originText(.strategy)],
            ["maintenance-window", policy.maintenanceWindow?.spec ?? "always", originText(.maintenanceWindow)],
        ]
        if let note = policy.strategyNote { rows[4][2] += "; \(note)" }
        return ["Policy (workload, then Namespace, then the controller's flags):"]
            + ReportRenderer.columns(rows).split(separator: "\n").map { "  " + $0 }
    }

    private func podLines(_ p: PodAssessment) -> [String] {
        var out = ["Pod \(p.name) (\(p.phase ?? "no phase")\(p.ready ? ", ready" : "")): \(p.classification.displayName)"]
        let containers = p.assessContainers()
        if containers.isEmpty {
            out.append("  \(p.reason.isEmpty ? "no running container holds an API token" : p.reason)")
            return out
        }
        for c in containers {
            out.append(contentsOf: containerLines(c, confirmedStale: p.confirmedStale).map { "  " + $0 })
        }
        out.append("  pod: \(p.reason)")
        if let deadline = p.deadline { out.append("  pod deadline: \(deadline.rfc3339) (\(HumanDuration.until(deadline, from: now, pastPrefix: "passed")))") }
        return out
    }

    private func containerLines(_ c: ContainerAssessment, confirmedStale: Bool) -> [String] {
        var out: [String] = []
        switch c.source {
        case .projected(let volume, let seconds):
            out.append("container \(c.name) (\(c.role.rawValue)): projected token, volume \(volume), expirationSeconds \(seconds)")
        case .legacySecret(let volume, let secret):
            out.append("container \(c.name) (\(c.role.rawValue)): legacy token Secret \(secret ?? "?"), volume \(volume)")
        }
        let source: String = switch c.startSource {
            case .containerStartedAt: "the container's state.running.startedAt"
            case .podStartTime: "the pod's status.startTime (the container reports no start)"
            case .podCreation: "the pod's creationTimestamp (no start time reported)"
        }
        out.append("  1. started      \(c.startedAt.rfc3339) (\(HumanDuration.format(max(0, now - c.startedAt))) ago), from \(source)")
        if case .projected(_, let seconds) = c.source {
            out.append("  2. refresh lag  \(DurationText.format(c.refreshLag)) = min(0.8 × \(seconds) s, 24h) + 10s: the kubelet may have written the token that long before the start")
        } else {
            out.append("  2. refresh lag  none: a Secret token is not refreshed")
        }
        if let issued = c.issuedNotBefore {
            let evidence = issued < c.startedAt - c.refreshLag ? " (older than the estimate: the audit evidence's issue time)" : ""
            out.append("  3. issued at or after \(issued.rfc3339) = start − lag\(evidence)")
        } else {
            out.append("  3. issued       whenever the Secret was created")
        }
        switch (c.lifetime, c.source) {
        case (nil, _):
            out.append("  4. lifetime     never expires (a legacy Secret token; only a key rotation ends it)")
        case (let lifetime?, .projected(_, let seconds)) where seconds == TokenModel.warnOnlyExpirationSeconds:
            let how = workload.policy.tokenLifetime == .none
                ? "token-lifetime none: the API server does not extend it"
                : "extended by the API server (expirationSeconds \(seconds)), token-lifetime \(workload.policy.tokenLifetime) (\(originText(.tokenLifetime)))"
            out.append("  4. lifetime     \(DurationText.format(lifetime)): \(how)")
        case (let lifetime?, _):
            out.append("  4. lifetime     \(DurationText.format(lifetime)): expirationSeconds other than 3607 is never extended")
        }
        if let expires = c.expiresAt {
            out.append("  5. expires      \(expires.rfc3339) = issued + lifetime (\(HumanDuration.until(expires, from: now)))")
        } else {
            out.append("  5. expires      never")
        }
        if let rotation = workload.policy.tokensInvalidBefore {
            let cut = rotation + c.refreshLag
            let verdict = c.startedAt < cut ? "started before it: invalidated at the rotation" : "started after it: not affected"
            out.append("     key rotation \(rotation.rfc3339) + lag = \(cut.rfc3339): \(verdict)")
        }
        out.append("  → \(c.classification.displayName)\(c.deadline.map { ", deadline \($0.rfc3339)" } ?? "")")
        return out
    }

    private func verdictLines() -> [String] {
        var out: [String] = []
        let stale = pods.filter(\.confirmedStale).map(\.name)
        out.append(stale.isEmpty
            ? "Evidence: none known for \(pod == nil ? "these pods" : "this pod") (no audit evidence names \(pod == nil ? "them" : "it"); the estimate applies)"
            : "Evidence: audit events show \(stale.joined(separator: ", ")) presenting a stale token (outranks the estimate)")
        if let deadline = workload.deadline {
            out.append("Deadline: \(deadline.rfc3339) (\(HumanDuration.until(deadline, from: now, pastPrefix: "passed"))), the earliest over the workload's pods")
        } else {
            out.append("Deadline: none")
        }
        // An unprotectable workload is never restarted: no restart is due.
        if let due = workload.restartDue, workload.classification != .unprotectable {
            let rule = workload.classification == .invalidated ? "the rotation instant" : "deadline − restart-before \(DurationText.format(workload.policy.restartBefore))"
            out.append("Restart due: \(due.rfc3339) = \(rule) (\(due > now ? "in \(HumanDuration.format(due - now))" : "due now"))")
        }
        out.append("Classification: \(workload.classification.displayName) (\(workload.classification.rawValue)): \(workload.reason)")
        return out
    }

    private func actionLines() -> [String] {
        var out = ["What the controller will do:"]
        if let decision {
            out.append("  now: \(ActionText.text(decision.action, now: now)): \(decision.message)")
        } else {
            out.append("  now: \(ActionText.text(workload, decision: nil, now: now))")
        }
        if let window = workload.policy.maintenanceWindow {
            if window.isOpen(at: now) {
                out.append("  window: \(window.spec), open now")
            } else if let opens = window.nextOpen(atOrAfter: now) {
                out.append("  window: \(window.spec), closed; opens \(opens.rfc3339) (in \(HumanDuration.format(opens - now)))")
            } else {
                out.append("  window: \(window.spec), never opens")
            }
        } else {
            out.append("  window: none (restarts at any time)")
        }
        out.append("  limits: at most \(planner.maxConcurrent) restart\(planner.maxConcurrent == 1 ? "" : "s") at once cluster-wide, "
            + "\(planner.maxConcurrentPerNamespace) per namespace, earliest deadline first; a rollout may take \(DurationText.format(planner.rolloutTimeout))")
        let state = workload.restartState
        if let last = state.restartedAt {
            let until = last + planner.cooldown
            out.append("  cooldown: \(DurationText.format(planner.cooldown)) after the last restart at \(last.rfc3339)"
                + (until > now ? " (until \(until.rfc3339))" : " (over)"))
        } else {
            out.append("  cooldown: \(DurationText.format(planner.cooldown)) after a restart; none recorded")
        }
        if let handled = state.restartForDeadline {
            out.append("  already restarted for the deadline \(handled.rfc3339) (never twice for one deadline)")
        }
        if let forecast {
            var line = "  forecast: "
            if let start = forecast.earliestStart {
                line += "starts \(start.rfc3339)"
                if let done = forecast.expectedCompletion { line += ", done by \(done.rfc3339)" }
            } else {
                line += "no window opens for it"
            }
            if forecast.deadlinePassed {
                line += "; the deadline has passed"
            } else {
                line += forecast.missesDeadline ? "; MISSES the deadline (windows/limits)" : "; before the deadline"
            }
            out.append(line)
        }
        return out
    }
}
