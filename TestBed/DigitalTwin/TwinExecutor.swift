import Foundation
import Assess
import KubeModel
import Plan

/// The executor's side of the twin: what the controller does with a decision, and what the
/// simulated cluster makes of it. Every start is checked against the limits and the window, and
/// every eviction against the workload's PodDisruptionBudget (at most one pod unavailable).
extension DigitalTwin {
    func execute(_ decision: Decision, in assessment: Assessment) {
        guard let i = index(of: decision.workload) else { return }
        switch decision.action {
        case .restart(.rollout, _):
            guard startedRestarts[decision.workload] == nil else { return }
            checkStart(i)
            let duration = rolloutDuration()
            workloads[i].restartedAt = now
            workloads[i].restartForDeadline = decision.deadline?.seconds
            workloads[i].generation += 1
            workloads[i].rolloutEnds = now + duration
            touch(i)
            workloads[i].restartsByWarden += 1
            startedRestarts[decision.workload] = StartedRestart(startedAt: Timestamp(seconds: now), strategy: .rollout, deadline: decision.deadline)
            queue.schedule(.rolloutEnd(i), at: now + duration)
            failures.recordSuccess(decision.workload)
            countEarly(decision)
        case .restart(.evict, _):
            evictStep(i, decision)
        case .inProgress where workloads[i].kind == .replicationController:
            evictStep(i, decision)  // the sequence goes on, one pod per step
        case .rolloutTimedOut(let since):
            ledger.rolloutTimeouts.insert("\(i)@\(since.seconds)")
            // As the controller does: an eviction sequence past the planner's timeout stops, its
            // restart state is removed and it is tried again after a backoff; a rollout runs on.
            if workloads[i].kind == .replicationController, failures.blockedUntil(decision.workload, now: Timestamp(seconds: now), generation: nil) == nil {
                finishFlight(i, decision.workload)
                giveUp(i, decision)
            }
        default:
            break
        }
    }

    /// Steps every eviction sequence the plan did not hand over this pass (`driveRunningSteps`).
    func driveRunningSteps() {
        for i in sequences.keys.sorted() where !stepped.contains(i) {
            if let decision = sequences[i]?.decision { evictStep(i, decision) }
        }
    }

    /// One step of the workload's eviction sequence (`Reconciler.evictStep` and
    /// `RestartExecutor.evictNext`): the oldest old pod is evicted once every other pod is Ready.
    private func evictStep(_ i: Int, _ decision: Decision) {
        guard stepped.insert(i).inserted else { return }
        let at = Timestamp(seconds: now)
        if let until = failures.blockedUntil(decision.workload, now: at, generation: nil) {
            let givesUpAt = sequences[i].map { $0.lastProgress + options.evictTimeout + 1 }
            guard let givesUpAt, givesUpAt <= now else {
                requestPass(at: min(until.seconds, givesUpAt ?? until.seconds))
                return
            }
        }
        var sequence: TwinEviction
        if var running = sequences[i] {
            running.decision = decision
            sequence = running
        } else {
            let isNew: Bool = if case .restart(_, resume: false) = decision.action { true } else { false }
            if !isNew, let handled = workloads[i].restartForDeadline, let deadline = decision.deadline, handled >= deadline.seconds,
               let recorded = workloads[i].restartedAt {
                sequence = TwinEviction(decision: decision, restartedAt: recorded, lastProgress: now)  // resumed
            } else {
                checkStart(i)
                workloads[i].restartedAt = now
                workloads[i].restartForDeadline = decision.deadline?.seconds
                touch(i)
                workloads[i].restartsByWarden += 1
                countEarly(decision)
                sequence = TwinEviction(decision: decision, restartedAt: now, lastProgress: now)
            }
        }
        sequences[i] = sequence
        if startedRestarts[decision.workload] == nil {
            startedRestarts[decision.workload] = StartedRestart(startedAt: at, strategy: .evict, deadline: decision.deadline)
        }
        let pods = workloads[i].pods
        let old = pods.indices.filter { pods[$0].start < sequence.restartedAt }.sorted { pods[$0].start < pods[$1].start }
        let notReady = pods.indices.filter { pods[$0].readyAt > now }
        let readyReplacements = pods.filter { $0.start >= sequence.restartedAt && $0.readyAt <= now }.count
        guard let candidate = old.first else {
            if notReady.isEmpty {
                sequences[i] = nil  // every pod replaced: the sequence is done
                finishFlight(i, decision.workload)
                failures.recordSuccess(decision.workload)
            } else {
                wait(i, decision, sequence)
            }
            return
        }
        if notReady.contains(where: { $0 != candidate }) || readyReplacements < sequence.evicted {
            wait(i, decision, sequence)
            return
        }
        let unavailable = notReady.count
        if unavailable >= 1 && workloads[i].replicas > 1 {
            ledger.breach("evicted \(workloads[i].name) with \(unavailable) pod(s) unavailable", \.pdbBreaches)
        }
        replacePod(i, at: candidate, readyAfter: Int64.random(in: 20...120, using: &rng))
        sequence.evicted += 1
        sequence.lastProgress = now
        sequences[i] = sequence
        failures.recordSuccess(decision.workload)
    }

    /// Waiting for a replacement to be Ready; gives up when nothing moved for the evict timeout.
    private func wait(_ i: Int, _ decision: Decision, _ sequence: TwinEviction) {
        guard now - sequence.lastProgress <= options.evictTimeout else {
            finishFlight(i, decision.workload)
            ledger.rolloutTimeouts.insert("\(i)@\(sequence.restartedAt)")
            giveUp(i, decision)
            return
        }
        requestPass(at: workloads[i].pods.map(\.readyAt).filter { $0 > now }.min() ?? now + 5)
    }

    /// The sequence stops and its restart state is removed (the deadline counts as not handled):
    /// the workload is a candidate again once the give-up's backoff ends.
    private func giveUp(_ i: Int, _ decision: Decision) {
        sequences[i] = nil
        workloads[i].restartedAt = nil
        workloads[i].restartForDeadline = nil
        touch(i)
        let entry = failures.recordFailure(decision.workload, .gaveUp(deadline: decision.deadline), cause: "gave up", generation: nil,
                                           now: Timestamp(seconds: now), jitter: Double.random(in: 0..<1, using: &rng))
        requestPass(at: entry.until.seconds)
    }

    /// A restart may start only inside the workload's window and within the limits.
    private func checkStart(_ i: Int) {
        let w = workloads[i]
        if let spec = w.window, let window = windows[spec], !window.isOpen(at: Timestamp(seconds: now)) {
            ledger.breach("\(w.namespace)/\(w.name) started outside \"\(spec)\" at \(Timestamp(seconds: now).rfc3339)", \.windowBreaches)
        }
        let running = runningRestarts()
        if running.count >= config.maxConcurrent {
            ledger.breach("\(w.name) started with \(running.count) restarts running at \(Timestamp(seconds: now).rfc3339)", \.clusterLimitBreaches)
        }
        if running.filter({ workloads[$0].namespace == w.namespace }).count >= config.maxConcurrentPerNamespace {
            ledger.breach("\(w.name) started with its namespace's limit reached at \(Timestamp(seconds: now).rfc3339)", \.namespaceLimitBreaches)
        }
    }

    /// Our restarts the cluster shows running: rollouts not finished, eviction sequences under way.
    private func runningRestarts() -> [Int] {
        let rolling = workloads.indices.filter { workloads[$0].rolloutEnds.map { $0 > now } ?? false }
        return rolling + sequences.keys.filter { !rolling.contains($0) }
    }

    /// Minutes for most rollouts (log-normal around 4 min); a few hang for hours.
    private func rolloutDuration() -> Int64 {
        if Double.random(in: 0..<1, using: &rng) < options.stuckShare { return Int64.random(in: 2 * 3600...8 * 3600, using: &rng) }
        let u1 = max(1e-12, Double.random(in: 0..<1, using: &rng)), u2 = Double.random(in: 0..<1, using: &rng)
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return min(1800, max(60, Int64(240 * exp(0.5 * normal))))
    }

    /// The restart's slot is free: the controller forgets it and keeps how long it held it
    /// (`Reconciler.forgetSettledRestarts`), a given-up sequence too.
    func finishFlight(_ i: Int, _ id: WorkloadID) {
        guard let flight = startedRestarts.removeValue(forKey: id), options.learnDurations else { return }
        let held = now - flight.startedAt.seconds
        switch flight.strategy {
        case .rollout: durations.recordRollout(seconds: held)
        default: durations.recordEviction(seconds: held, pods: workloads[i].replicas)
        }
    }

    private func countEarly(_ decision: Decision) {
        guard let early = decision.early else { return }
        ledger.earlyStarts += 1
        ledger.longestEarlyLead = max(ledger.longestEarlyLead, early.by)
    }

    /// Mirrors the controller's bookkeeping (`Reconciler.forgetSettledRestarts`): a rollout's
    /// entry ends when the rollout does; an eviction sequence's once it is no longer driven and
    /// the workload shows the restart state, or after the rollout timeout.
    func settleInFlight(_ assessment: Assessment) {
        // In id order: finished restarts feed the learned durations, whose window of recent samples
        // depends on the order they come in, and a seed must give the same run in every process.
        for (id, flight) in startedRestarts.sorted(by: { $0.key < $1.key }) {
            guard let i = index(of: id) else { continue }
            switch flight.strategy {
            case .rollout:
                if !(workloads[i].rolloutEnds.map { $0 > now } ?? false) { finishFlight(i, id) }
            default:
                // An eviction sequence holds its slot while it is driven, then until the workload shows it.
                let visible = workloads[i].restartForDeadline.map { handled in flight.deadline.map { handled >= $0.seconds } ?? true } ?? false
                if sequences[i] == nil, visible || now - flight.startedAt.seconds > config.rolloutTimeout { startedRestarts[id] = nil }
            }
        }
    }
}
