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
            guard inFlight[decision.workload] == nil else { return }
            checkStart(i)
            let duration = rolloutDuration()
            workloads[i].restartedAt = now
            workloads[i].restartForDeadline = decision.deadline?.seconds
            workloads[i].generation += 1
            workloads[i].rolloutEnds = now + duration
            workloads[i].changed = true
            workloads[i].restartsByWarden += 1
            inFlight[decision.workload] = InFlightRestart(startedAt: Timestamp(seconds: now), strategy: .rollout, deadline: decision.deadline)
            queue.schedule(.rolloutEnd(i), at: now + duration)
            countEarly(decision)
        case .restart(.evict, let resume):
            if !resume, !evicting.contains(i) {
                checkStart(i)
                workloads[i].restartedAt = now
                workloads[i].restartForDeadline = decision.deadline?.seconds
                workloads[i].changed = true
                workloads[i].restartsByWarden += 1
                countEarly(decision)
            }
            evicting.insert(i)  // resumed: a sequence the controller's restart interrupted
            if inFlight[decision.workload] == nil {
                inFlight[decision.workload] = InFlightRestart(startedAt: Timestamp(seconds: workloads[i].restartedAt ?? now),
                                                              strategy: .evict, deadline: decision.deadline)
            }
            evictStep(i, decision)
        case .inProgress where workloads[i].kind == .replicationController:
            evicting.insert(i)
            evictStep(i, decision)
        case .rolloutTimedOut(let since):
            ledger.rolloutTimeouts.insert("\(i)@\(since.seconds)")
            evicting.remove(i)  // a timed-out eviction sequence stops; a rollout runs on by itself
        default:
            break
        }
    }

    /// One pod at a time: the next old pod is evicted once every other pod is Ready.
    private func evictStep(_ i: Int, _ decision: Decision) {
        let since = workloads[i].restartedAt ?? now
        if let waiting = workloads[i].pods.map(\.readyAt).filter({ $0 > now }).min() {
            requestPass(at: waiting)
            return
        }
        guard let position = workloads[i].pods.indices.filter({ workloads[i].pods[$0].start < since })
            .min(by: { workloads[i].pods[$0].start < workloads[i].pods[$1].start })
        else {
            evicting.remove(i)  // every pod replaced: the sequence is done
            inFlight[decision.workload] = nil
            return
        }
        let unavailable = workloads[i].pods.filter { $0.readyAt > now }.count
        if unavailable >= 1 && workloads[i].replicas > 1 {
            ledger.breach("evicted \(workloads[i].name) with \(unavailable) pod(s) unavailable", \.pdbBreaches)
        }
        replacePod(i, at: position, readyAfter: Int64.random(in: 20...120, using: &rng))
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
        return rolling + evicting.filter { !rolling.contains($0) }
    }

    /// Minutes for most rollouts (log-normal around 4 min); a few hang for hours.
    private func rolloutDuration() -> Int64 {
        if Double.random(in: 0..<1, using: &rng) < options.stuckShare { return Int64.random(in: 2 * 3600...8 * 3600, using: &rng) }
        let u1 = max(1e-12, Double.random(in: 0..<1, using: &rng)), u2 = Double.random(in: 0..<1, using: &rng)
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return min(1800, max(60, Int64(240 * exp(0.5 * normal))))
    }

    private func countEarly(_ decision: Decision) {
        guard let early = decision.early else { return }
        ledger.earlyStarts += 1
        ledger.longestEarlyLead = max(ledger.longestEarlyLead, early.by)
    }

    /// Mirrors the controller's bookkeeping (`Reconciler.forgetSettledRestarts`): a rollout's
    /// entry ends when the rollout does; an eviction sequence's once the workload shows the
    /// restart state, or after the rollout timeout (the planner resumes it from the annotations).
    func settleInFlight(_ assessment: Assessment) {
        for (id, flight) in inFlight {
            guard let i = index(of: id) else { continue }
            switch flight.strategy {
            case .rollout:
                if !(workloads[i].rolloutEnds.map { $0 > now } ?? false) { inFlight[id] = nil }
            default:
                let visible = workloads[i].restartForDeadline.map { handled in flight.deadline.map { handled >= $0.seconds } ?? true } ?? false
                if visible || now - flight.startedAt.seconds > config.rolloutTimeout { inFlight[id] = nil }
            }
        }
    }

    /// A sequence goes on only while the planner hands it to the executor (restart or in
    /// progress), as in the controller; otherwise it is over or paused (e.g. deferred).
    func forgetFinishedSequences(_ plan: Plan) {
        for i in evicting {
            switch plan.decision(for: id(of: workloads[i]))?.action {
            case .restart?, .inProgress?: continue
            default: evicting.remove(i)
            }
        }
    }
}
