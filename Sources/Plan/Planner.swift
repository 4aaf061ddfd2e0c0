import Assess
import KubeModel

/// Entry point of planning: which workloads to restart now, in what order, within the limits,
/// windows and cooldowns; what to defer or only warn about; a forecast; when to look again.
/// Pure: the assessment, the controller's in-memory restarts and the clock in; a `Plan` out.
public struct Planner: Sendable {
    public var config: PlannerConfig

    public init(config: PlannerConfig = PlannerConfig()) { self.config = config }

    /// - Parameter backingOff: workloads whose last write was refused or failed, and until when
    ///   they must not be tried (`FailureMemory`): deferred with cause `backoff`. A running
    ///   restart in backoff (an eviction a PodDisruptionBudget refuses) keeps its slot.
    /// - Parameter durations: how long this process's finished restarts took: the forecast's
    ///   duration per restart (the configured typical duration while it knows none).
    /// - Parameter leadHint: the last plan's `spreadLead`, where the search for the lead starts
    ///   (`HerdSpreader.searchLead`).
    /// - Parameter forecastMemo: the last plan's lead and forecast, reused while they still hold
    ///   (the same plan, without simulating the forecast again).
    public func plan(
        _ assessment: Assessment, now: Timestamp, startedRestarts: [WorkloadID: StartedRestart] = [:],
        backingOff: [WorkloadID: Timestamp] = [:], durations: RestartDurations = RestartDurations(), leadHint: Int64 = 0,
        forecastMemo: ForecastMemo? = nil
    ) -> Plan {
        plan(PlanningView(assessment), now: now, startedRestarts: startedRestarts, backingOff: backingOff, durations: durations,
             leadHint: leadHint, forecastMemo: forecastMemo)
    }

    /// The same plan from a view of the assessment (`PlanningWatchlist`): its workloads and what
    /// it summarises of the others.
    public func plan(
        _ view: PlanningView, now: Timestamp, startedRestarts: [WorkloadID: StartedRestart] = [:],
        backingOff: [WorkloadID: Timestamp] = [:], durations: RestartDurations = RestartDurations(), leadHint: Int64 = 0,
        forecastMemo: ForecastMemo? = nil
    ) -> Plan {
        var decisions: [Decision] = []
        /// Workloads to restart now if windows and limits allow, and how; `startingEarly`: starting
        /// this long before its restart is due (herd spreading), carried here rather than looked up
        /// by id (a herd under way puts thousands here at every pass).
        var candidates: [(workload: WorkloadAssessment, method: RestartMethod, rank: Int, startingEarly: Int64?)] = []
        var deferredForForecast: [(WorkloadAssessment, notBefore: Timestamp, rank: Int)] = []
        var early: [HerdSpreader.Early] = []
        /// When the next workload comes within reach of spreading.
        var poolEntry = view.poolEntry
        var wakeUps: [Timestamp] = []
        if let next = view.nextTransition { wakeUps.append(next) }

        // Restarts running now, cluster-wide and per namespace (whether or not still at risk).
        var running: [WorkloadID: Timestamp] = [:]
        /// Past the rollout timeout but still rolling on the server: they hold a slot, nothing more.
        var timedOut: Set<WorkloadID> = []
        for workload in view.workloads {
            if let since = runningSince(workload, startedRestarts: startedRestarts[workload.id], now: now) { running[workload.id] = since }
        }
        for (id, flight) in startedRestarts where running[id] == nil && now - flight.startedAt <= config.rolloutTimeout {
            running[id] = flight.startedAt  // its pods may be gone from the snapshot mid-eviction
        }
        for since in running.values { wakeUps.append(since + config.rolloutTimeout + 1) }

        // The assessment is in deadline order already; confirmed-stale workloads move to the front.
        // Without any (the usual case) the assessment's array is walked as it is, not copied.
        let stale = view.workloads.filter { $0.classification == .confirmedStale }
        let ordered = stale.isEmpty ? view.workloads : stale + view.workloads.filter { $0.classification != .confirmedStale }
        // Each workload's place in the priority order, which orders the forecast.
        let ranks = Self.priorityRanks(ordered)
        for (position, workload) in ordered.enumerated() {
            let rank = ranks[position]
            let needsRestart = workload.classification.needsRestart
            if workload.classification == .ok, let due = workload.restartDue, due > now,
               workload.policy.mode == .restart, let method = workload.strategy.method {
                // Spreading looks max-lead ahead (and forecasts that far); nothing starts before due − max-lead.
                let reach = max(config.forecastHorizon, workload.policy.maxLead)
                if config.spreadHerds, workload.policy.maxLead > 0, due > now + reach {
                    poolEntry = min(poolEntry ?? due - reach, due - reach)
                }
                if config.spreadHerds, due <= now + reach, mayStartEarly(workload, running: running, now: now) {
                    early.append(HerdSpreader.Early(workload: workload, method: method, due: due, rank: rank))  // in the forecast too
                } else if due <= now + config.forecastHorizon {
                    // Not due yet, but soon: it competes for the same windows and slots in the forecast.
                    deferredForForecast.append((workload, due, rank))
                }
            }
            if workload.classification == .ok, workload.strategy == .evict, let since = running[workload.id],
               now - since <= timeout(for: workload),
               workload.podsInScope.contains(where: { pod in pod.assessContainers().contains { $0.startedAt < since } }) {
                // An early eviction sequence goes on pod by pod: the workload is not due, so
                // nothing else hands it to the executor.
                decisions.append(Decision(workload, .inProgress(since: since)))
                continue
            }
            guard needsRestart || workload.classification == .unprotectable else { continue }
            func decide(_ action: PlanAction) {
                decisions.append(Decision(workload, action))
            }
            if workload.classification == .unprotectable {
                decide(.warnOnly(.unprotectable))
                continue
            }
            if workload.policy.mode == .report {
                decide(.warnOnly(.reportMode))
                continue
            }
            guard let method = workload.strategy.method else {
                decide(.warnOnly(workload.policy.strategyNote == nil ? .noRestartStrategy : .strategyBlocked))
                continue
            }
            if let since = running[workload.id] {
                if now - since > timeout(for: workload) {
                    // Reported once (the reconciler deduplicates). A rollout the server still shows
                    // running keeps its slot, so the cluster never sees more than the limit; an
                    // eviction sequence stops, and nothing of it runs on the server any more.
                    if !Planner.stillRolling(workload) { running[workload.id] = nil }
                    timedOut.insert(workload.id)
                    decide(.rolloutTimedOut(since: since))
                } else if let until = backingOff[workload.id] {
                    decide(.deferred(.backoff, until: until))
                    wakeUps.append(until)
                } else {
                    decide(.inProgress(since: since))
                }
                continue
            }
            let state = workload.restartState
            if let handled = state.restartForDeadline, let deadline = workload.deadline,
               handled == deadline || Planner.sequenceUnderWay(workload, method, handled: handled, deadline: deadline, now: now,
                                                               timeout: timeout(for: workload)) {
                if let since = state.restartedAt, Planner.onlyReplacementsRemain(workload, restartedAt: since) {
                    // The pods still flagged were started by our restart; the estimate's refresh lag
                    // keeps them flagged a little longer (key rotation). Nothing to do.
                    continue
                }
                let since = state.restartedAt ?? now
                let overdue = now - since > timeout(for: workload)
                switch method {
                case .evict, .recreate:
                    if overdue {
                        decide(.rolloutTimedOut(since: since))
                    } else {
                        // An eviction sequence interrupted (controller restart, leader change): carry on.
                        running[workload.id] = since
                        decide(.restart(method, resume: true))
                    }
                case .rollout:
                    if Planner.stillRolling(workload) {
                        decide(.rolloutTimedOut(since: since))  // within the timeout it was caught as running above
                    } else {
                        decide(.alreadyRestarted(forDeadline: handled))
                    }
                }
                continue
            }
            if let last = state.restartedAt, now < last + config.cooldown {
                decide(.deferred(.cooldown, until: last + config.cooldown))
                wakeUps.append(last + config.cooldown)
                deferredForForecast.append((workload, last + config.cooldown, rank))
                continue
            }
            if let until = backingOff[workload.id] {
                decide(.deferred(.backoff, until: until))
                wakeUps.append(until)
                deferredForForecast.append((workload, until, rank))
                continue
            }
            if workload.rollout.isInProgress {
                decide(.deferred(.rolloutInProgress, until: nil))
                deferredForForecast.append((workload, now + config.typicalRolloutDuration, rank))
                continue
            }
            candidates.append((workload, method, rank, nil))
        }

        // The forecast; when it is late and spreading is on, which not-yet-due workloads start early.
        let runningBefore = running
        let spread = HerdSpreader(config: config, durations: durations).plan(
            now: now, active: runningBefore, pending: candidates.map { ($0.workload, now, $0.rank) } + deferredForForecast, early: early,
            leadHint: leadHint, memo: forecastMemo)
        if !spread.startNow.isEmpty {
            candidates = (candidates + spread.startNow.map { (early[$0].workload, early[$0].method, early[$0].rank, early[$0].due - now) })
                .sorted { $0.rank < $1.rank }
        }
        if let next = spread.nextEarlyStart { wakeUps.append(next) }
        if let poolEntry { wakeUps.append(poolEntry) }
        var earlyHeldBack = false

        // Earliest deadline first, within the window, the cluster limit and the namespace limit.
        var windowCache: [String: Timestamp??] = [:]
        /// nil when open now; else when it next opens (itself nil if never).
        func closedUntil(_ window: MaintenanceWindow) -> Timestamp?? {
            if let known = windowCache[window.spec] { return known }
            let result: Timestamp?? = window.isOpen(at: now) ? .none : .some(window.nextOpen(atOrAfter: now))
            windowCache[window.spec] = result
            return result
        }
        var perNamespace: [String: Int] = [:]
        for id in running.keys { perNamespace[id.namespace, default: 0] += 1 }
        for (workload, method, _, startingEarly) in candidates {
            let action: PlanAction
            if let window = workload.policy.maintenanceWindow, let opens = closedUntil(window) {
                action = .deferred(.window, until: opens)
                if let opens { wakeUps.append(opens) }
            } else if running.count >= config.maxConcurrent {
                action = .deferred(.clusterLimit, until: nil)
            } else if perNamespace[workload.id.namespace, default: 0] >= config.maxConcurrentPerNamespace {
                action = .deferred(.namespaceLimit, until: nil)
            } else {
                action = .restart(method, resume: false)
                perNamespace[workload.id.namespace, default: 0] += 1
                running[workload.id] = now
            }
            if let lead = startingEarly {
                // Not due yet: it gets a decision only when it starts (nothing to report before).
                if case .restart = action {
                    decisions.append(Decision(workload, action, early: EarlyStart(by: lead, lateWithout: spread.lateWithoutLead())))
                } else {
                    earlyHeldBack = true
                }
                continue
            }
            decisions.append(Decision(workload, action))
        }
        if earlyHeldBack || decisions.contains(where: { if case .deferred = $0.action { return true } else { return false } }) {
            // Limits free up when running restarts finish: look again about then. A timed-out rollout
            // ends when its status says so, which the watch reports: no polling for it.
            for (id, since) in running where !timedOut.contains(id) {
                // One slower than usual: again a typical duration later, not every second (its
                // end also comes through the watch).
                let usualEnd = since + config.typicalRolloutDuration
                wakeUps.append(usualEnd > now ? usualEnd : now + config.typicalRolloutDuration)
            }
        }

        let cap = now + config.resyncInterval
        let requeueAt = min(wakeUps.filter { $0 > now }.min() ?? cap, cap)
        return Plan(generatedAt: now, decisions: decisions, forecast: spread.forecast, requeueAt: requeueAt, running: running, spreadLead: spread.lead)
    }

    /// An eviction sequence moves the workload's deadline later as it replaces the oldest pods, so
    /// a record for an earlier deadline that began within the timeout is that sequence,
    /// interrupted (a new process or leader), not a reason for another restart.
    static func sequenceUnderWay(
        _ workload: WorkloadAssessment, _ method: RestartMethod, handled: Timestamp, deadline: Timestamp, now: Timestamp, timeout: Int64
    ) -> Bool {
        guard method != .rollout, handled < deadline, let since = workload.restartState.restartedAt else { return false }
        return now - since <= timeout
    }

    /// Since when a restart of ours is running on `workload`, if one is.
    private func runningSince(_ workload: WorkloadAssessment, startedRestarts: StartedRestart?, now: Timestamp) -> Timestamp? {
        if let startedRestarts { return startedRestarts.startedAt }
        // A rollout we patched (restarted-at) that the status shows running. Within the timeout it
        // is ours; past it, only while pods with the token we restarted for remain (the deadline is
        // still the one handled) — a later rollout of the same workload is someone else's.
        guard Planner.stillRolling(workload), let since = workload.restartState.restartedAt else { return nil }
        if now - since <= timeout(for: workload) { return since }
        guard workload.strategy == .rollout, let handled = workload.restartState.restartForDeadline,
              handled == workload.deadline
        else { return nil }
        return since
    }

    /// The workload's rollout status says it is not complete: progressing, or stuck past the
    /// Deployment's progress deadline (its pods are still being replaced, or trying to be).
    public static func stillRolling(_ workload: WorkloadAssessment) -> Bool {
        switch workload.rollout {
        case .progressing, .failed: return true
        case .complete, .notApplicable: return false
        }
    }

    /// Every pod that still needs a restart started at or after `restartedAt`: replacements only.
    static func onlyReplacementsRemain(_ workload: WorkloadAssessment, restartedAt: Timestamp) -> Bool {
        let flagged = workload.pods.filter { $0.classification.needsRestart }
        return !flagged.isEmpty && flagged.allSatisfy { pod in pod.assessContainers().allSatisfy { $0.startedAt >= restartedAt } }
    }

    /// A rollout gets the rollout timeout; an eviction sequence gets it once per pod it replaces.
    private func timeout(for workload: WorkloadAssessment) -> Int64 {
        switch workload.strategy {
        case .evict, .recreate: return config.rolloutTimeout * Int64(max(1, workload.podsInScopeCount))
        case .rollout, .warnOnly: return config.rolloutTimeout
        }
    }

    /// Confirmed stale first, then earliest deadline, most urgent class, namespace, kind, name.
    /// Each workload's place in `priorityOrder`: its position when `workloads` are in that order
    /// already (an assessment's deadline order with the confirmed-stale first: every pass), else
    /// its position once sorted.
    static func priorityRanks(_ workloads: [WorkloadAssessment]) -> [Int] {
        let inOrder = workloads.indices.dropFirst().allSatisfy { !priorityOrder(workloads[$0], workloads[$0 - 1]) }
        if inOrder { return Array(workloads.indices) }
        var ranks = [Int](repeating: 0, count: workloads.count)
        for (rank, index) in workloads.indices.sorted(by: { priorityOrder(workloads[$0], workloads[$1]) }).enumerated() { ranks[index] = rank }
        return ranks
    }

    static func priorityOrder(_ a: WorkloadAssessment, _ b: WorkloadAssessment) -> Bool {
        if a.classification == .confirmedStale, b.classification != .confirmedStale { return true }
        if b.classification == .confirmedStale, a.classification != .confirmedStale { return false }
        return Assessment.deadlineOrder(a, b)
    }

    /// Not due yet, but free to start early if a herd needs it: nothing of ours running or made
    /// for this deadline, no cooldown, no rollout under way.
    private func mayStartEarly(_ workload: WorkloadAssessment, running: [WorkloadID: Timestamp], now: Timestamp) -> Bool {
        guard running[workload.id] == nil, !workload.rollout.isInProgress else { return false }
        let state = workload.restartState
        if let handled = state.restartForDeadline, handled == workload.deadline { return false }
        if let last = state.restartedAt, now < last + config.cooldown { return false }
        return true
    }
}
