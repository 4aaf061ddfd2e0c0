import Act
import Assess
import KubeModel
import Logging
import Observe
import Plan

/// Every Event a reconcile pass writes, with the metrics, log lines and bookkeeping that go with
/// it, decided in one place: pure functions from the assessment, the plan and the outcomes of the
/// pass's steps to `PassEffect`s, which the reconciler performs. One switch per outcome, in the
/// manner of controller-runtime's `reconcileHandler`.
///
/// `alreadySaid` tells which announcement keys were made before (the reconciler's ledger): their
/// effects are not built again, pass after pass.
enum PassEffects {
    // MARK: What the assessment and the plan show

    /// Conditions worth one Event each: invalid annotations, risk classes, finished restarts, forecast misses.
    static func announcements(
        _ assessment: Assessment, _ plan: Plan, now: Timestamp, alreadySaid: (String) -> Bool = { _ in false }
    ) -> [PassEffect] {
        var effects: [PassEffect] = []
        for diagnostic in assessment.diagnostics {
            let key = "diag:\(diagnostic.object):\(diagnostic.annotation):\(diagnostic.value)"
            guard !alreadySaid(key) else { continue }
            effects.append(.once(key, paced: true, then: [.event(WardenEvent(
                regarding: diagnostic.object, type: .warning, reason: .invalidAnnotation, message: diagnostic.description))]))
        }
        for workload in assessment.workloads {
            if let reason = announcedReason(workload.classification) {
                // The deadline is formatted for the few workloads with something to say only.
                let deadline = workload.deadline?.rfc3339 ?? "-"
                let key = "class:\(reason.rawValue):\(workload.id):\(deadline)"
                if !alreadySaid(key) {
                    effects.append(.once(key, paced: true, then: [.event(WardenEvent(
                        regarding: workload.ref, type: .warning, reason: reason, message: "\(workload.reason) (deadline \(deadline))"))]))
                }
            }
            // A restart is over when the workload no longer needs one and nothing is rolling: seen
            // here for every strategy, since the planner stops handing a healthy workload to the executor.
            // One recorded in the cluster (restart-completed-at) was announced by this or an earlier process.
            // A sequence still evicting (its remaining old pods need no restart by themselves) is not over yet.
            if let restartedAt = workload.restartState.restartedAt, !workload.classification.needsRestart,
               !workload.rollout.isInProgress, plan.running[workload.id] == nil, now - restartedAt < 86_400,
               !workload.restartState.completionRecorded {
                effects += completion(workload.ref, id: workload.id, restartedAt: restartedAt, alreadySaid: alreadySaid)
            }
        }
        for miss in plan.predictedMisses {
            let key = "forecast:\(miss.workload):\(miss.deadline?.seconds ?? 0)"
            guard !alreadySaid(key) else { continue }
            let event = assessment.workload(miss.workload).map { workload in
                WardenEvent(regarding: workload.ref, type: .warning, reason: .forecastMiss,
                            message: "With the current maintenance windows and limits this workload cannot be restarted before its deadline \(miss.deadline?.rfc3339 ?? "-") (earliest start \(miss.earliestStart?.rfc3339 ?? "none"))")
            }
            effects.append(.once(key, paced: true, then: event.map { [.event($0)] } ?? []))
        }
        return effects
    }

    /// The risk classes announced with a Warning Event (once per workload, class and deadline).
    static func announcedReason(_ classification: Classification) -> EventReason? {
        switch classification {
        case .atRisk: .tokenExpiryAtRisk
        case .expired: .tokenExpired
        case .invalidated: .tokensInvalidated
        case .confirmedStale: .confirmedStaleToken
        case .unconfirmed: .unconfirmedAtRisk
        default: nil
        }
    }

    /// A restart finished: announced, counted and logged once, and recorded on the workload
    /// (restart-completed-at) so that a new process or leader does neither again.
    static func completion(
        _ ref: ObjectRef, id: WorkloadID, restartedAt: Timestamp, alreadySaid: (String) -> Bool = { _ in false }
    ) -> [PassEffect] {
        let key = "completed:\(id):\(restartedAt.seconds)"
        guard !alreadySaid(key) else { return [] }
        var apiVersion: String?
        if case .custom(_, let version) = id.kind { apiVersion = version }
        return [.once(key, paced: true, then: [
            .stopUnlessWritable,
            .countRestart(kind: ref.kind, .succeeded),
            .log(.notice, "restart completed", ["workload": "\(id)", "restartedAt": "\(restartedAt.rfc3339)"]),
            .event(WardenEvent(regarding: ref, apiVersion: apiVersion, type: .normal, reason: .restartCompleted,
                               message: "Restart from \(restartedAt.rfc3339) finished; every pod now holds a fresh token")),
            .stopUnlessWritable,
            .recordCompletion(ref, id),
        ])]
    }

    /// What a decision that writes nothing says: deferred, timed out, warn only (once per
    /// condition). `backoff`: the workload's run of failures, for a decision deferred by it.
    static func decided(_ decision: Decision, backoff: FailureMemory.Entry?) -> [PassEffect] {
        switch decision.action {
        case .deferred(.backoff, let until):
            // Once per run of failures: the first refusal was announced with the server's words.
            guard let entry = backoff else { return [] }
            let when = until.map { " until \($0.rfc3339)" } ?? ""
            return [.once(key(decision, "deferred:backoff:\(entry.since.seconds)"), paced: true, then: [
                .countDeferral(.backoff),
                event(decision, .normal, .restartDeferred, "Restart deferred\(when) (backoff after \(entry.failures) failed attempt(s)): \(entry.cause)"),
            ])]
        case .deferred(let cause, _):
            return [.once(key(decision, "deferred:\(cause.rawValue)"), paced: true, then: [
                .countDeferral(DeferralCause(cause)), event(decision, .normal, .restartDeferred, decision.message),
            ])]
        case .rolloutTimedOut(let since):
            return [.once(key(decision, "timeout:\(since.seconds)"), paced: true, then: [
                .countRestart(kind: decision.ref.kind, .timedOut),
                event(decision, .warning, .rolloutTimedOut, "Restart started \(since.rfc3339) did not finish in time; skipped: \(decision.message)"),
            ])]
        case .warnOnly(let reason):
            let (type, eventReason): (EventType, EventReason) = switch reason {
                case .reportMode: (.normal, .wouldRestart)
                case .unprotectable: (.warning, .unprotectable)
                case .noRestartStrategy, .strategyBlocked: (.warning, .warnOnly)
            }
            return [.once(key(decision, "warn:\(reason.rawValue)"), paced: true, then: [
                .countRestart(kind: decision.ref.kind, .reported), event(decision, type, eventReason, decision.message),
            ])]
        case .restart, .inProgress, .alreadyRestarted:
            return []
        }
    }

    // MARK: What the pass's steps came to

    /// The rollout patch landed: the restart holds its slot until the caches show it.
    static func rolloutStarted(_ decision: Decision, now: Timestamp) -> [PassEffect] {
        [.rememberStarted(decision.workload, StartedRestart(startedAt: now, strategy: .rollout, deadline: decision.deadline)),
         .clearFailures(decision.workload)]
    }

    /// An eviction sequence past the planner's rollout timeout was stopped: tried again after a backoff.
    static func evictionStopped(_ decision: Decision) -> [PassEffect] {
        [.recordFailure(decision.workload, .gaveUp(deadline: decision.deadline), cause: "the restart did not finish within --rollout-timeout",
                        generation: nil, then: .none)]
    }

    static func recreationStep(_ step: RecreationStep, _ decision: Decision, now: Timestamp) -> [PassEffect] {
        switch step {
        case .deleting: [.retryAt(now + 1)]
        case .created: [.clearFailures(decision.workload), .countRestart(kind: decision.ref.kind, .succeeded)]
        case .dryRun: []
        }
    }

    /// One step of an eviction sequence (the executor told its own reports as they happened):
    /// the per-pod Event, the backoff, completion and the metrics.
    /// - Parameters:
    ///   - restartedAt: the sequence's start as seen before this step (the executor forgets a finished one).
    ///   - givesUpAt: when the sequence, as it stands after this step, gives up without progress.
    ///   - workload: the workload as assessed in this pass.
    static func evictionStep(
        _ step: EvictionStep, _ decision: Decision, restartedAt: Timestamp?, givesUpAt: Timestamp?,
        workload: WorkloadAssessment?, now: Timestamp
    ) -> [PassEffect] {
        let id = decision.workload
        let started = PassEffect.rememberStarted(id, StartedRestart(startedAt: now, strategy: .evict, deadline: decision.deadline))
        switch step {
        case .evicted(let pod):
            return [started, .clearFailures(id), .countEviction(kind: decision.ref.kind, .succeeded),
                    .event(WardenEvent(decision: decision, type: .normal, reason: .podEvicted,
                                       message: "Evicted pod \(pod.name) to replace its token", action: "Evict"))]
        case .blocked(let status, let seconds):
            // A PDB refusal carries no Retry-After; the wait grows from the policy's first step.
            return [started, .countEviction(kind: decision.ref.kind, .blocked),
                    .recordFailure(id, .transient(retryAfter: seconds), cause: "eviction refused: \(status.message ?? status.reason ?? "429")",
                                   reason: status.reason, generation: nil, then: .retry(notAfter: givesUpAt))]
        case .waitingForReady:
            return [started, .retryAt(now + 5)]  // the replacement's readiness also wakes us
        case .timedOut:
            return [started, .forgetStarted(id), .countEviction(kind: decision.ref.kind, .timedOut),
                    .recordFailure(id, .gaveUp(deadline: decision.deadline), cause: "the eviction sequence gave up after --evict-timeout",
                                   generation: nil, then: .retryNoticed)]
        case .ended:
            return [started, .forgetStarted(id)]
        case .done:
            var effects: [PassEffect] = [started, .forgetStarted(id), .clearFailures(id)]
            if let restartedAt = restartedAt ?? workload?.restartState.restartedAt, workload?.restartState.completionRecorded != true {
                effects += completion(workload?.ref ?? decision.ref, id: id, restartedAt: restartedAt)
            }
            return effects
        case .dryRun:
            return [started]
        }
    }

    /// After `FailureMemory` recorded a failure and said until when the workload waits.
    static func afterFailure(_ followUp: FailureFollowUp, entry: FailureMemory.Entry) -> [PassEffect] {
        switch followUp {
        case .none: []
        case .retry(let notAfter): [.retryAt(notAfter.map { min(entry.until, $0) } ?? entry.until)]
        case .retryNoticed:
            [.log(.notice, "eviction sequence will be tried again after a backoff", ["until": "\(entry.until.rfc3339)"]), .retryAt(entry.until)]
        case .announce(let decision): failed(decision, entry: entry)
        }
    }

    /// A write failed (`entry.cause`: the error with the server's Status): announced once per run
    /// of failures; the retries that follow are logged at debug.
    static func failed(_ decision: Decision, entry: FailureMemory.Entry) -> [PassEffect] {
        let metadata: Logger.Metadata = [
            "error": "\(entry.cause)", "failures": "\(entry.failures)", "retryAt": "\(entry.until.rfc3339)",
        ]
        let retry = entry.failure == .permanent
            ? "retrying will not change the answer; tried again at \(entry.until.rfc3339) or when the workload changes"
            : "tried again at \(entry.until.rfc3339)"
        return [
            .retryAt(entry.until),
            .countRestart(kind: decision.ref.kind, .failed),
            .once(key(decision, "failed:\(entry.since.seconds):\(entry.cause)"), paced: false,
                  then: [.log(.error, "restart failed", metadata), event(decision, .warning, .restartFailed, "Restart failed: \(entry.cause); \(retry)")],
                  otherwise: [.log(.debug, "restart failed", metadata)]),
        ]
    }

    // MARK: Events told as they happen

    /// The Event for what the executor reports it did (or in report mode would have done).
    static func event(for report: RestartReport) -> WardenEvent {
        switch report {
        case .rolloutStarted(let decision, let patch):
            WardenEvent(decision: decision, type: .normal, reason: .restartStarted,
                        message: "rollout restart started (\(patch)): \(decision.message)",
                        action: "Restart")
        case .wouldRollout(let decision):
            WardenEvent(decision: decision, type: .normal, reason: .wouldRestart,
                        message: "would start a rollout restart: \(decision.message)", action: "Restart")
        case .evictionStarted(let decision, let oldPods):
            WardenEvent(decision: decision, type: .normal, reason: .restartStarted,
                        message: "evicting \(oldPods) pod(s) one at a time, waiting for each replacement to be Ready: \(decision.message)",
                        action: "Evict")
        case .wouldEvict(let decision, let oldPods):
            WardenEvent(decision: decision, type: .normal, reason: .wouldRestart,
                        message: "would evict \(oldPods) pod(s) one at a time: \(decision.message)", action: "Evict")
        case .evictionRefused(let decision, let pod, let status):
            WardenEvent(decision: decision, type: .warning, reason: .evictionBlocked,
                        message: "eviction of pod \(pod) refused: \(status)", action: "Evict")
        case .evictionGaveUp(let decision, let why, let timeout):
            WardenEvent(decision: decision, type: .warning, reason: .rolloutTimedOut,
                        message: "evicting pods one at a time made no progress for \(timeout) s (\(why)); gave up, will try again after a backoff",
                        action: "Evict")
        case .evictionAbandoned(let decision, let restartedAt, let why):
            WardenEvent(decision: decision, type: .warning, reason: .restartAbandoned,
                        message: "Restart from \(restartedAt.rfc3339) ended without completing: \(why)", action: "Evict")
        case .recreationStarted(let decision, let pod):
            WardenEvent(regarding: pod, type: .normal, reason: .restartStarted,
                        message: "deleting this bare pod and creating it again from its own spec (token-warden.dev/strategy: recreate): \(decision.message)",
                        action: "Recreate")
        case .wouldRecreate(let decision, let pod):
            WardenEvent(regarding: pod, type: .normal, reason: .wouldRestart,
                        message: "would delete this pod and create it again from its own spec: \(decision.message)", action: "Recreate")
        }
    }

    /// On the controller's own pod: the audit webhook's batches stopped, or flow again.
    static func evidenceSource(live: Bool, pod: ObjectRef, problem: String) -> WardenEvent {
        live
            ? WardenEvent(regarding: pod, type: .normal, reason: .evidenceSourceBack,
                          message: "Authenticated audit batches arrive again; restart-on: evidence applies again")
            : WardenEvent(regarding: pod, type: .warning, reason: .evidenceSourceSilent, message: "Evidence source silent: \(problem)")
    }

    // MARK: Helpers

    /// A decision's condition: what, for which workload, about which deadline.
    static func key(_ decision: Decision, _ what: String) -> String {
        "\(what):\(decision.workload):\(decision.deadline?.seconds ?? 0)"
    }

    /// An Event about the decision's workload, its action named after the decision's.
    static func event(_ decision: Decision, _ type: EventType, _ reason: EventReason, _ message: String) -> PassEffect {
        .event(WardenEvent(decision: decision, type: type, reason: reason, message: message, action: action(for: decision)))
    }

    static func action(for decision: Decision) -> String {
        switch decision.action {
        case .restart(.evict, _): "Evict"
        case .restart(.recreate, _): "Recreate"
        case .restart: "Restart"
        default: "Assess"
        }
    }
}
