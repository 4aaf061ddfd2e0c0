import Act
import APIClient
import Assess
import KubeModel
import Logging
import Observe
import Plan

/// Acting on a plan: one step per workload and pass, every failure remembered and backed off.
extension Reconciler {
    func execute(_ decision: Decision, in assessment: Assessment, now: Timestamp) async {
        var log = logger
        log[metadataKey: "workload"] = "\(decision.workload)"
        switch decision.action {
        case .restart(.rollout, _):
            guard inFlight.withLock({ $0[decision.workload] == nil }) else { return }
            do {
                try await actions.startRollout(decision, now: now)  // the executor logs the action
                inFlight.withLock { $0[decision.workload] = InFlightRestart(startedAt: now, strategy: .rollout, deadline: decision.deadline) }
                failures.withLock { $0.recordSuccess(decision.workload) }
            } catch {
                await fail(decision, error, generation: assessment.workload(decision.workload)?.generation, now: now, log: log)
            }
        case .restart(.evict, _):
            await evictStep(decision, in: assessment, now: now, log: log)
        case .inProgress where assessment.workload(decision.workload)?.strategy == .evict:
            await evictStep(decision, in: assessment, now: now, log: log)  // the sequence goes on, one pod per step
        case .restart(.recreate, _):
            guard let pod = podsOf(decision, in: assessment).first else { return }
            await recreateStep(decision, pod: pod, now: now, log: log)
        case .deferred(.backoff, let until):
            // Once per run of failures: the first refusal was announced with the server's words.
            guard let entry = failures.withLock({ $0.entries[decision.workload] }) else { return }
            if firstAnnouncement(decision, "deferred:backoff:\(entry.since.seconds)", now: now) {
                metrics?.recordDeferredRestart(cause: .backoff)
                let when = until.map { " until \($0.rfc3339)" } ?? ""
                await emit(decision, .normal, .restartDeferred,
                           "Restart deferred\(when) (backoff after \(entry.failures) failed attempt(s)): \(entry.cause)")
            }
        case .deferred(let cause, _):
            if firstAnnouncement(decision, "deferred:\(cause.rawValue)", now: now) {
                metrics?.recordDeferredRestart(cause: DeferralCause(cause))
                await emit(decision, .normal, .restartDeferred, decision.message)
            }
        case .rolloutTimedOut(let since):
            // An eviction sequence past the planner's timeout stops and, like one that gave up,
            // is tried again after a backoff (a rollout goes on on the server: nothing to stop).
            if assessment.workload(decision.workload)?.strategy == .evict,
               failures.withLock({ $0.blockedUntil(decision.workload, now: now, generation: nil) }) == nil {
                inFlight.withLock { $0[decision.workload] = nil }
                do {
                    try await actions.stopEviction(decision)
                    _ = failures.withLock {
                        $0.recordFailure(decision.workload, .gaveUp(deadline: decision.deadline), cause: "the restart did not finish within --rollout-timeout",
                                         generation: nil, now: now, jitter: Double.random(in: 0..<1))
                    }
                } catch {
                    await fail(decision, error, generation: nil, now: now, log: log)
                }
            }
            if firstAnnouncement(decision, "timeout:\(since.seconds)", now: now) {
                metrics?.recordRestart(kind: decision.ref.kind, result: .timedOut)
                await emit(decision, .warning, .rolloutTimedOut, "Restart started \(since.rfc3339) did not finish in time; skipped: \(decision.message)")
            }
        case .warnOnly(let reason):
            let (type, eventReason): (EventType, EventReason) = switch reason {
                case .reportMode: (.normal, .wouldRestart)
                case .unprotectable: (.warning, .unprotectable)
                case .noRestartStrategy, .strategyBlocked: (.warning, .warnOnly)
            }
            if firstAnnouncement(decision, "warn:\(reason.rawValue)", now: now) {
                metrics?.recordRestart(kind: decision.ref.kind, result: .reported)
                await emit(decision, type, eventReason, decision.message)
            }
        case .inProgress, .alreadyRestarted:
            break
        }
    }

    /// Steps every recreation and eviction sequence the plan did not hand over this pass: each runs to its
    /// end (complete, gave up, nothing left) even once its workload no longer needs a restart —
    /// its pods are fresh, whatever their names — so it never holds a slot it does not use.
    func driveRunningSteps(_ plan: Plan, in assessment: Assessment, now: Timestamp) async {
        for decision in actions.runningRecreations() {
            guard writable(), !stepped.withLock({ $0.contains(decision.workload) }) else { continue }
            var log = logger
            log[metadataKey: "workload"] = "\(decision.workload)"
            await recreateStep(decision, pod: nil, now: now, log: log)
        }
        for running in actions.runningEvictions() {
            let id = running.decision.workload
            guard writable(), !stepped.withLock({ $0.contains(id) }) else { continue }
            var log = logger
            log[metadataKey: "workload"] = "\(id)"
            await evictStep(running.decision, in: assessment, now: now, log: log)
        }
    }

    /// One step of recreating a bare pod: deleted now, created again by a later pass once it is
    /// gone — a pass never waits on it.
    func recreateStep(_ decision: Decision, pod: Pod?, now: Timestamp, log: Logger) async {
        guard stepped.withLock({ $0.insert(decision.workload).inserted }) else { return }
        if let until = failures.withLock({ $0.blockedUntil(decision.workload, now: now, generation: nil) }) {
            retryLater(until)
            return
        }
        // The pod as decided about; once deleted it is no longer in the caches, and the executor
        // has what it needs to create it again.
        let target = pod ?? Pod(metadata: ObjectMeta(name: decision.ref.name, namespace: decision.ref.namespace, uid: decision.ref.uid))
        do {
            switch try await actions.recreate(decision, pod: target, now: now) {
            case .deleting:
                retryLater(now + 1)
            case .created:
                failures.withLock { $0.recordSuccess(decision.workload) }
                metrics?.recordRestart(kind: decision.ref.kind, result: .succeeded)
            case .dryRun:
                break
            }
        } catch {
            await fail(decision, error, generation: nil, now: now, log: log)
        }
    }

    func evictStep(_ decision: Decision, in assessment: Assessment, now: Timestamp, log: Logger) async {
        guard stepped.withLock({ $0.insert(decision.workload).inserted }) else { return }
        let timeout = configuration.evictTimeoutSeconds
        let running = actions.runningEvictions().first { $0.decision.workload == decision.workload }
        let generation = assessment.workload(decision.workload)?.generation
        if let until = failures.withLock({ $0.blockedUntil(decision.workload, now: now, generation: generation) }) {
            // Backing off; a running sequence still gives up on time (the step says so, no request).
            let givesUpAt = running.map { $0.lastProgress + timeout + 1 }
            guard let givesUpAt, givesUpAt <= now else {
                retryLater(givesUpAt.map { min(until, $0) } ?? until)
                return
            }
        }
        do {
            let step = try await actions.evictNext(decision, workloadPods: podsOf(decision, in: assessment), now: now, timeoutSeconds: timeout)
            inFlight.withLock { flights in
                if flights[decision.workload] == nil {
                    flights[decision.workload] = InFlightRestart(startedAt: now, strategy: .evict, deadline: decision.deadline)
                }
            }
            await report(step, decision, sequenceRestartedAt: running?.restartedAt, in: assessment, now: now, log: log)
        } catch {
            await fail(decision, error, generation: generation, now: now, log: log)
        }
    }

    /// The executor reports RestartStarted, EvictionBlocked, gave-up and ended sequences itself
    /// (Event and log line); here: the per-pod Event, the backoff, completion and the metrics.
    private func report(
        _ step: EvictionStep, _ decision: Decision, sequenceRestartedAt: Timestamp?, in assessment: Assessment, now: Timestamp, log: Logger
    ) async {
        let id = decision.workload
        switch step {
        case .evicted(let pod):
            failures.withLock { $0.recordSuccess(id) }
            metrics?.recordEviction(kind: decision.ref.kind, result: .succeeded)
            await send(WardenEvent(decision: decision, type: .normal, reason: .podEvicted, message: "Evicted pod \(pod.name) to replace its token", action: "Evict"))
        case .blocked(let status, let seconds):
            metrics?.recordEviction(kind: decision.ref.kind, result: .blocked)
            let cause = "eviction refused: \(status.message ?? status.reason ?? "429")"
            // A PDB refusal carries no Retry-After; the wait grows from the policy's first step.
            let entry = failures.withLock {
                $0.recordFailure(id, .transient(retryAfter: seconds), cause: cause, generation: nil, now: now, jitter: Double.random(in: 0..<1))
            }
            let givesUpAt = actions.runningEvictions().first { $0.decision.workload == id }.map { $0.lastProgress + configuration.evictTimeoutSeconds + 1 }
            retryLater(givesUpAt.map { min(entry.until, $0) } ?? entry.until)
        case .waitingForReady:
            retryLater(now + 5)  // the replacement's readiness also wakes us
        case .timedOut:
            inFlight.withLock { $0[id] = nil }  // the slot is free at once
            metrics?.recordEviction(kind: decision.ref.kind, result: .timedOut)
            let entry = failures.withLock {
                $0.recordFailure(id, .gaveUp(deadline: decision.deadline), cause: "the eviction sequence gave up after --evict-timeout",
                                 generation: nil, now: now, jitter: Double.random(in: 0..<1))
            }
            log.notice("eviction sequence will be tried again after a backoff", metadata: ["until": "\(entry.until.rfc3339)"])
            retryLater(entry.until)
        case .ended:
            inFlight.withLock { $0[id] = nil }
        case .done:
            inFlight.withLock { $0[id] = nil }
            failures.withLock { $0.recordSuccess(id) }
            // The executor has forgotten the finished sequence: its start as seen before this step.
            let restartedAt = sequenceRestartedAt ?? assessment.workload(id)?.restartState.restartedAt
            if let restartedAt, assessment.workload(id)?.restartState.completionRecorded != true {
                await completed(assessment.workload(id)?.ref ?? decision.ref, kind: id.kind, id: id, restartedAt: restartedAt, now: now)
            }
        case .dryRun:
            break
        }
    }

    /// A restart finished: announced, counted and logged once, and recorded on the workload
    /// (restart-completed-at) so that a new process or leader does neither again.
    func completed(_ ref: ObjectRef, kind: WorkloadKind, id: WorkloadID, restartedAt: Timestamp, now: Timestamp) async {
        guard firstAnnouncement("completed:\(id):\(restartedAt.seconds)", now: now), writable() else { return }
        metrics?.recordRestart(kind: ref.kind, result: .succeeded)
        logger.notice("restart completed", metadata: ["workload": "\(id)", "restartedAt": "\(restartedAt.rfc3339)"])
        var apiVersion: String?
        if case .custom(_, let version) = kind { apiVersion = version }
        await send(WardenEvent(regarding: ref, apiVersion: apiVersion, type: .normal, reason: .restartCompleted,
                               message: "Restart from \(restartedAt.rfc3339) finished; every pod now holds a fresh token"))
        guard writable() else { return }
        do {
            _ = try await actions.recordCompletion(of: ref, kind: kind, now: now)
        } catch {
            // Not fatal: without the record a new process announces this completion once more.
            logger.warning("cannot record the completed restart on the workload", metadata: ["workload": "\(id)", "error": "\(error)"])
        }
    }

    /// A write failed: remembered (so the workload backs off) and announced once per run of
    /// failures with the server's Status; the retries that follow are logged at debug.
    func fail(_ decision: Decision, _ error: any Error, generation: Int64?, now: Timestamp, log: Logger) async {
        let failure = Self.failure(error)
        let cause = "\(error)"
        let entry = failures.withLock {
            $0.recordFailure(decision.workload, failure, cause: cause, generation: generation, now: now, jitter: Double.random(in: 0..<1))
        }
        retryLater(entry.until)
        metrics?.recordRestart(kind: decision.ref.kind, result: .failed)
        let first = once(decision, "failed:\(entry.since.seconds):\(cause)")
        log.log(level: first ? .error : .debug, "restart failed", metadata: [
            "error": "\(error)", "failures": "\(entry.failures)", "retryAt": "\(entry.until.rfc3339)",
        ])
        if first {
            let retry = failure == .permanent ? "retrying will not change the answer; tried again at \(entry.until.rfc3339) or when the workload changes"
                : "tried again at \(entry.until.rfc3339)"
            await emit(decision, .warning, .restartFailed, "Restart failed: \(error); \(retry)")
        }
    }

    /// How long a failure keeps the workload waiting: answers retrying will not change (400, 403,
    /// 404 on the workload, 422, a rollout the server refuses) wait long; the rest grow.
    static func failure(_ error: any Error) -> FailureMemory.Failure {
        if let error = error as? APIError {
            if case .status(let code, _, let retryAfter, _, _) = error {
                return [400, 403, 404, 422].contains(code) ? .permanent : .transient(retryAfter: retryAfter)
            }
            return .transient(retryAfter: nil)
        }
        if let error = error as? RestartError, case .deletionTimedOut = error { return .transient(retryAfter: nil) }
        if error is RestartError { return .permanent }
        return .transient(retryAfter: nil)
    }

    func podsOf(_ decision: Decision, in assessment: Assessment) -> [Pod] {
        guard let workload = assessment.workload(decision.workload) else { return [] }
        return workload.pods.compactMap { caches.pods.get(namespace: $0.ref.namespace, name: $0.ref.name)?.pod }
    }
}
