import APIClient
import Assess
import KubeModel
import Logging
import Plan

extension RestartExecutor {
    /// Drives an eviction sequence one step: evicts at most one pod through the Eviction API
    /// (which honours PodDisruptionBudgets) and says what happened. Call it again after the
    /// returned step (on every reconcile, or after `retryAfterSeconds`) until `.done` or `.timedOut`.
    ///
    /// The first call of a sequence (`.restart(_, resume: false)`) records the restart state on
    /// the owning object (merge patch of its metadata). A custom owner cannot be patched (its
    /// resource and RBAC are unknown), so the state goes on the workload's pods instead: every old
    /// pod carries it until it is evicted, and the replacements need no state (their tokens are
    /// fresh). A resumed sequence (controller restart, leader change) takes `restartedAt` from
    /// that state. `timeout` (seconds) bounds the time without progress (waiting or blocked).
    public func evictNext(_ decision: Decision, workloadPods: [Pod], now: Timestamp, timeout: Int64) async throws -> EvictionStep {
        let id = decision.workload
        var metadata = Self.metadata(decision)
        if dryRun {
            let choice = EvictionSelector.next(pods: workloadPods, restartedAt: now, lastEvictedUID: nil, evictedCount: 0)
            let next: Pod? = if case .evict(let pod) = choice { pod } else { nil }
            let old = workloadPods.filter { EvictionSelector.isOld($0, restartedAt: now) }.map(\.metadata.name).sorted()
            metadata["wouldEvict"] = "\(old.joined(separator: ","))"
            logger.info("report mode: would evict pods one at a time", metadata: metadata)
            await report(.wouldEvict(decision, oldPods: old.count))
            return .dryRun(wouldEvict: next.map(ObjectRef.init))
        }

        var sequence: EvictionSequence
        if var running = evictions.withLock({ $0[id] }) {
            running.decision = decision
            sequence = running
        } else {
            sequence = try await beginSequence(decision, pods: workloadPods, now: now)
        }
        let pods = sequence.own(workloadPods)
        if !pods.isEmpty { sequence.lastSeenPods = now }
        let current = sequence
        evictions.withLock { $0[id] = current }
        metadata["restartedAt"] = "\(sequence.restartedAt.rfc3339)"

        if pods.isEmpty {
            // Between an eviction and its replacement a workload may briefly have no pods; for
            // longer, it was deleted, scaled to zero or replaced by another object of its name.
            let grace = min(EvictionSequence.noPodsGraceSeconds, timeout)
            guard now - sequence.lastSeenPods > grace else { return .waitingForReady }
            evictions.withLock { $0[id] = nil }
            let why = workloadPods.isEmpty
                ? "the workload has had no pods for \(grace) s (deleted or scaled to zero)"
                : "none of its pods belong to the owner the sequence began with (deleted and created again)"
            logger.warning("eviction sequence ended: nothing left to replace", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            await report(.evictionAbandoned(decision, restartedAt: sequence.restartedAt, why: why))
            return .ended(why)
        }

        switch EvictionSelector.next(pods: pods, restartedAt: sequence.restartedAt,
                                     lastEvictedUID: sequence.lastEvictedUID, evictedCount: sequence.evicted) {
        case .done:
            evictions.withLock { $0[id] = nil }
            // RestartCompleted (Event, log line, metric) is the reconciler's: it sees completion for every strategy alike.
            return .done
        case .wait(let why):
            if let step = await timedOutIfStalled(decision, sequence: sequence, now: now, timeout: timeout, why: why) { return step }
            logger.debug("eviction waiting", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .waitingForReady
        case .evict(let pod):
            let ref = ObjectRef(pod)
            metadata["pod"] = "\(pod.metadata.name)"
            do {
                try await client.evict(namespace: pod.metadata.namespace ?? id.namespace, pod: pod.metadata.name)
            } catch let error as APIError where error.isTooManyRequests {
                if let step = await timedOutIfStalled(decision, sequence: sequence, now: now, timeout: timeout, why: "eviction refused") {
                    return step
                }
                guard case .status(_, let status, let retryAfter, _, _) = error else { throw error }
                let causes = (status.details?.causes ?? []).compactMap(\.message).joined(separator: "; ")
                let text = [status.message, causes.isEmpty ? nil : causes].compactMap { $0 }.joined(separator: " ")
                // The first refusal of a sequence at notice, the retries (within their backoff) at debug.
                let first = !sequence.blocked
                sequence.blocked = true
                let blocked = sequence
                evictions.withLock { $0[id] = blocked }
                logger.log(level: first ? .notice : .debug, "eviction refused", metadata: metadata.merging(["status": "\(text)"]) { $1 })
                await report(.evictionRefused(decision, pod: pod.metadata.name, status: text))
                // No Retry-After on a PDB refusal; kubectl drain waits 5 s between attempts.
                return .blocked(status, retryAfterSeconds: retryAfter ?? 5)
            } catch let error as APIError where error.isNotFound {
                logger.info("pod to evict is already gone", metadata: metadata)
            }
            sequence.evicted += 1
            sequence.lastEvictedUID = pod.metadata.uid
            sequence.lastProgress = now
            sequence.blocked = false
            let updated = sequence
            evictions.withLock { $0[id] = updated }
            logger.notice("pod evicted", metadata: metadata.merging(["evicted": "\(updated.evicted)"]) { $1 })
            return .evicted(ref)
        }
    }

    /// When this process started (or resumed) the eviction sequence of `workload`, if it drives one.
    public func evictionRestartedAt(_ workload: WorkloadID) -> Timestamp? {
        evictions.withLock { $0[workload]?.restartedAt }
    }

    /// The evictions this process drives: each is stepped until it ends, whatever the plan says.
    public func runningEvictions() -> [RunningEviction] {
        evictions.withLock { running in
            running.values.map { RunningEviction(decision: $0.decision, restartedAt: $0.restartedAt, lastProgress: $0.lastProgress) }
        }
    }

    /// Stops the eviction sequence of the decision's workload (the planner's rollout timeout
    /// passed; reported as timed out by the caller): nothing of it runs on the server any more, and
    /// its restart state is removed so the deadline counts as not handled — the caller backs the
    /// workload off and it is tried again later.
    public func stopEviction(_ decision: Decision) async throws {
        evictions.withLock { $0[decision.workload] = nil }
        guard !dryRun, let resource = KindRestartSupport.of(decision.workload.kind).resource else { return }
        try await clearRestartState(resource: resource, ref: decision.ref)
        logger.notice("eviction sequence stopped at the rollout timeout; restart state removed", metadata: Self.metadata(decision))
    }

    /// Forgets the in-memory evictions (leadership lost: the next leader resumes from the cluster state).
    public func abandonEvictions() {
        evictions.withLock { $0.removeAll() }
    }

    private func timedOutIfStalled(
        _ decision: Decision, sequence: EvictionSequence, now: Timestamp, timeout: Int64, why: String
    ) async -> EvictionStep? {
        guard now - sequence.lastProgress > timeout else { return nil }
        evictions.withLock { $0[decision.workload] = nil }
        // The deadline is not handled: without the restart state the workload is a candidate
        // again once its backoff ends (the caller's), and its slot is free at once.
        var cleared = "restart state removed"
        if let resource = KindRestartSupport.of(decision.workload.kind).resource {
            do {
                try await clearRestartState(resource: resource, ref: decision.ref)
            } catch {
                cleared = "restart state not removed: \(error)"
            }
        }
        logger.warning("eviction sequence gave up", metadata: Self.metadata(decision).merging(["why": "\(why)", "state": "\(cleared)"]) { $1 })
        await report(.evictionGaveUp(decision, why: why, timeoutSeconds: timeout))
        return .timedOut
    }

    /// Starts a new sequence (recording the state in the cluster) or resumes a recorded one.
    private func beginSequence(_ decision: Decision, pods: [Pod], now: Timestamp) async throws -> EvictionSequence {
        guard let deadline = decision.deadline else { throw RestartError.missingDeadline(decision.ref) }
        let resource = KindRestartSupport.of(decision.workload.kind).resource
        // Custom owners keep the state on their pods, which the assessment does not read: whatever
        // the planner says, a recorded sequence for this deadline is resumed, never restarted.
        let isNew: Bool = if case .restart(_, resume: false) = decision.action, resource != nil { true } else { false }
        let owners = Set(pods.compactMap { $0.metadata.controllerOwner?.uid })
        if case .inProgress(let since) = decision.action {
            // The planner saw this sequence under way since `since` (this process's memory of it, or
            // the restart state on the workload) although no step of this process drives it: a new
            // leader carrying on a sequence whose workload is no longer due (its first pods were
            // replaced). It goes on from there; begun again, it would evict the first part's
            // replacements and announce a second restart.
            logger.notice("resuming eviction sequence", metadata: Self.metadata(decision).merging(["restartedAt": "\(since.rfc3339)"]) { $1 })
            return EvictionSequence(restartedAt: since, lastProgress: now, decision: decision, ownerUIDs: owners, lastSeenPods: now)
        }
        // A resumed sequence (the planner checked it began within the timeout) or one recorded on
        // its custom owner's remaining old pods is carried on even though the deadline moved later
        // as its first pods were replaced.
        let resumed: Bool = if case .restart(_, resume: true) = decision.action { true } else { false }
        if !isNew, let recorded = try await recordedRestart(decision, resource: resource, pods: pods,
                                                             deadline: resumed || resource == nil ? nil : deadline) {
            logger.notice("resuming eviction sequence", metadata: Self.metadata(decision).merging(["restartedAt": "\(recorded.rfc3339)"]) { $1 })
            return EvictionSequence(restartedAt: recorded, lastProgress: now, decision: decision, ownerUIDs: owners, lastSeenPods: now)
        }
        let state = RestartState.annotations(restartedAt: now, forDeadline: deadline)
        if let resource {
            let body = try JSONBody.encode(StatePatch(uid: decision.ref.uid, annotations: state))
            try await client.patch(resource, namespace: decision.ref.namespace, name: decision.ref.name, type: .merge, body: body)
        } else {
            for pod in pods where EvictionSelector.isOld(pod, restartedAt: now) && pod.metadata.deletionTimestamp == nil {
                let body = try JSONBody.encode(StatePatch(uid: pod.metadata.uid, annotations: state))
                do {
                    try await client.patch(.pods, namespace: pod.metadata.namespace, name: pod.metadata.name, type: .merge, body: body)
                } catch let error as APIError where error.isNotFound {
                    continue  // gone already: nothing to record on it
                }
            }
        }
        let old = pods.filter { EvictionSelector.isOld($0, restartedAt: now) }.count
        await report(.evictionStarted(decision, oldPods: old))
        return EvictionSequence(restartedAt: now, lastProgress: now, decision: decision, ownerUIDs: owners, lastSeenPods: now)
    }

    /// `restarted-at` recorded on the owner (or, for custom owners, on its pods) for this deadline
    /// or a later one; with no deadline, for any.
    private func recordedRestart(
        _ decision: Decision, resource: ResourceDescriptor?, pods: [Pod], deadline: Timestamp?
    ) async throws -> Timestamp? {
        var candidates: [[String: String]] = []
        if let resource {
            candidates = [try await serverCopy(resource, decision.ref).metadata.annotations ?? [:]]
        } else {
            candidates = pods.map { $0.metadata.annotations ?? [:] }
        }
        let recorded = candidates.compactMap { annotations -> Timestamp? in
            guard let handled = annotations[PolicyAnnotation.restartForDeadline].flatMap(Timestamp.init(rfc3339:)),
                  deadline.map({ handled >= $0 }) ?? true else { return nil }
            return annotations[PolicyAnnotation.restartedAt].flatMap(Timestamp.init(rfc3339:))
        }
        return recorded.min()
    }
}
