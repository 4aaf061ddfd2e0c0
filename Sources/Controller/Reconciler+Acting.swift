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
            guard startedRestarts.withLock({ $0[decision.workload] == nil }) else { return }
            let afterFailure = failures.withLock { $0.entries[decision.workload] != nil }
            do {
                try await actions.startRollout(decision, now: now, afterFailedAttempt: afterFailure)  // the executor logs the action
                await perform(PassEffects.rolloutStarted(decision, now: now), now: now, log: log)
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
        case .deferred(.backoff, _):
            await perform(PassEffects.decided(decision, backoff: failures.withLock { $0.entries[decision.workload] }), now: now, log: log)
        case .rolloutTimedOut:
            // An eviction sequence past the planner's timeout stops and, like one that gave up,
            // is tried again after a backoff (a rollout goes on on the server: nothing to stop).
            if assessment.workload(decision.workload)?.strategy == .evict,
               failures.withLock({ $0.blockedUntil(decision.workload, now: now, generation: nil) }) == nil {
                await perform([.forgetStarted(decision.workload)], now: now, log: log)
                do {
                    try await actions.stopEviction(decision)
                    await perform(PassEffects.evictionStopped(decision), now: now, log: log)
                } catch {
                    await fail(decision, error, generation: nil, now: now, log: log)
                }
            }
            await perform(PassEffects.decided(decision, backoff: nil), now: now, log: log)
        case .deferred, .warnOnly:
            await perform(PassEffects.decided(decision, backoff: nil), now: now, log: log)
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
            let step = try await actions.recreate(decision, pod: target, now: now)
            await perform(PassEffects.recreationStep(step, decision, now: now), now: now, log: log)
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
            // The sequence as it stands after the step: when it gives up without progress.
            let givesUpAt = actions.runningEvictions().first { $0.decision.workload == decision.workload }.map { $0.lastProgress + timeout + 1 }
            await perform(PassEffects.evictionStep(step, decision, restartedAt: running?.restartedAt, givesUpAt: givesUpAt,
                                                   workload: assessment.workload(decision.workload), now: now), now: now, log: log)
        } catch {
            await fail(decision, error, generation: generation, now: now, log: log)
        }
    }

    /// A write failed: remembered (so the workload backs off) and announced once per run of
    /// failures with the server's Status; the retries that follow are logged at debug.
    func fail(_ decision: Decision, _ error: any Error, generation: Int64?, now: Timestamp, log: Logger) async {
        if error is WriteFenced {
            fence()  // not the workload's failure: this replica may not write any more
            return
        }
        await perform([.recordFailure(decision.workload, Self.failure(error), cause: "\(error)", reason: (error as? APIError)?.reason,
                                      generation: generation, then: .announce(decision))],
                      now: now, log: log)
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
