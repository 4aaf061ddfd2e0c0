import Act
import Assess
import Evidence
import KubeModel
import Logging
import Observe
import Plan
import Synchronization

/// One pass of the control loop: caches → assess → plan → act. Level-based and idempotent: it is
/// not told why it runs, reads everything from the caches and the cluster's annotations, and
/// doing it twice in a row changes nothing the second time.
public final class Reconciler: Sendable {
    public struct Outcome: Sendable {
        public var assessment: Assessment?
        public var plan: Plan?
        /// When to run again even if nothing changes (deadlines move with the clock).
        public var requeueAt: Timestamp
    }

    let caches: ClusterCaches
    let configuration: ControllerConfiguration
    let actions: any WorkloadActions
    let evidence: StaleTokenEvidenceStore?
    let metrics: WardenMetrics?
    let clock: @Sendable () -> Timestamp
    let logger: Logger
    let ledger = EventLedger()
    /// Workloads whose cached inputs did not change since the last pass are not assessed again.
    let memo = AssessmentMemo()
    /// Restarts this process started whose effect the caches may not show yet, so the planner
    /// neither repeats them nor ignores them when counting against the limits.
    let inFlight = Mutex<[WorkloadID: InFlightRestart]>([:])
    /// The earliest moment a refused step asked to be retried (a PDB's Retry-After), this pass.
    let retryAt = Mutex<Timestamp?>(nil)
    /// Paces announcements cluster-wide (see `ControllerConfiguration.announcementBurst`).
    let announcementPace: Mutex<TokenBucket>
    /// Set when this pass held an announcement back: the next pass comes sooner to make it.
    let announcementsHeldBack = Mutex(false)
    /// The audit webhook's batches (nil without a webhook: no fail-safe to apply).
    let batchClock: AuditBatchClock?
    let health: HealthState?
    /// The evidence source's state at the last pass (nil before the first).
    let evidenceSourceLive = Mutex<Bool?>(nil)
    /// Writes when this replica last took a batch onto its own pod (`auditBatchAt`); true when written.
    let shareBatchTime: (@Sendable (Timestamp) async -> Bool)?
    /// The batch time last written there.
    let sharedBatchTime = Mutex<Timestamp?>(nil)

    public init(
        caches: ClusterCaches, configuration: ControllerConfiguration, actions: any WorkloadActions,
        evidence: StaleTokenEvidenceStore? = nil, metrics: WardenMetrics? = nil, batchClock: AuditBatchClock? = nil,
        health: HealthState? = nil, shareBatchTime: (@Sendable (Timestamp) async -> Bool)? = nil,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger = Logger(label: "token-warden.reconcile")
    ) {
        self.batchClock = batchClock
        self.health = health
        self.shareBatchTime = shareBatchTime
        self.caches = caches
        self.configuration = configuration
        self.actions = actions
        self.evidence = evidence
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        announcementPace = Mutex(TokenBucket(
            burst: configuration.announcementBurst, ratePerSecond: configuration.announcementsPerSecond, now: Double(clock().seconds)))
    }

    public func reconcile(isLeader: Bool) async -> Outcome {
        let now = clock()
        guard caches.hasSynced else { return Outcome(requeueAt: now + 1) }
        let snapshot = caches.snapshot()
        var defaults = configuration.defaults
        defaults.evidenceFallback = await evidenceFallback(now: now, snapshot: snapshot)
        // Audit evidence: when each reported token was really issued (seen − age at that moment).
        let assessment = Assessor(defaults: defaults)
            .assess(snapshot, now: now, evidence: evidence?.evidence() ?? [:], memo: memo)
        forgetSettledRestarts(assessment, now: now)
        let plan = Planner(config: configuration.planner).plan(assessment, now: now, inFlight: inFlight.withLock { $0 })
        record(assessment, plan, now: now)
        retryAt.withLock { $0 = nil }
        announcementsHeldBack.withLock { $0 = false }
        if isLeader {
            await announce(assessment, plan, now: now)
            for decision in plan.decisions {
                await execute(decision, in: assessment, now: now)
            }
        }
        var requeueAt = retryAt.withLock { $0 }.map { min($0, plan.requeueAt) } ?? plan.requeueAt
        if announcementsHeldBack.withLock({ $0 }) {
            // Half a burst's refill: each of those passes makes about that many announcements.
            let pace = Double(configuration.announcementBurst) / max(configuration.announcementsPerSecond, 0.001) / 2
            requeueAt = min(requeueAt, now + max(1, Int64(pace.rounded(.up))))
        }
        return Outcome(assessment: assessment, plan: plan, requeueAt: requeueAt)
    }

    // MARK: Acting

    private func execute(_ decision: Decision, in assessment: Assessment, now: Timestamp) async {
        var log = logger
        log[metadataKey: "workload"] = "\(decision.workload)"
        switch decision.action {
        case .restart(.rollout, _):
            guard inFlight.withLock({ $0[decision.workload] == nil }) else { return }
            do {
                try await actions.startRollout(decision, now: now)
                inFlight.withLock { $0[decision.workload] = InFlightRestart(startedAt: now, strategy: .rollout, deadline: decision.deadline) }
                log.notice("rollout started", metadata: ["deadline": "\(decision.deadline?.rfc3339 ?? "-")"])
            } catch {
                await fail(decision, error, log: log)
            }
        case .restart(.evict, _):
            await evictStep(decision, in: assessment, now: now, log: log)
        case .inProgress where assessment.workload(decision.workload)?.strategy == .evict:
            await evictStep(decision, in: assessment, now: now, log: log)  // the sequence goes on, one pod per step
        case .restart(.recreate, _):
            guard let pod = podsOf(decision, in: assessment).first else { return }
            do {
                try await actions.recreate(decision, pod: pod, now: now)
                metrics?.recordRestart(kind: decision.ref.kind, result: .succeeded)
            } catch {
                await fail(decision, error, log: log)
            }
        case .restart(.warnOnly, _):
            break  // the planner never restarts a warn-only workload
        case .deferred(let cause, _):
            if firstAnnouncement(decision, "deferred:\(cause.rawValue)", now: now) {
                metrics?.recordDeferredRestart(cause: DeferralCause(cause))
                await emit(decision, .normal, .restartDeferred, decision.message)
            }
        case .rolloutTimedOut(let since):
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

    private func evictStep(_ decision: Decision, in assessment: Assessment, now: Timestamp, log: Logger) async {
        do {
            let step = try await actions.evictNext(
                decision, workloadPods: podsOf(decision, in: assessment), now: now, timeoutSeconds: configuration.evictTimeoutSeconds)
            inFlight.withLock { flights in
                if flights[decision.workload] == nil {
                    flights[decision.workload] = InFlightRestart(startedAt: now, strategy: .evict, deadline: decision.deadline)
                }
            }
            await report(step, decision, log: log)
            switch step {
            case .blocked(_, let seconds): retryLater(now + Int64(max(1, seconds)))
            case .waitingForReady: retryLater(now + 5)  // the replacement's readiness also wakes us
            default: break
            }
        } catch {
            await fail(decision, error, log: log)
        }
    }

    /// The executor records RestartStarted, EvictionBlocked, timeouts and completion of a sequence
    /// itself; here: the per-pod Event and the metrics.
    private func report(_ step: EvictionStep, _ decision: Decision, log: Logger) async {
        switch step {
        case .evicted(let pod):
            metrics?.recordEviction(kind: decision.ref.kind, result: .succeeded)
            log.notice("pod evicted", metadata: ["pod": "\(pod.name)"])
            await actions.emit(WardenEvent(decision: decision, type: .normal, reason: .podEvicted, message: "Evicted pod \(pod.name) to replace its token", action: "Evict"))
        case .blocked:
            if once(decision, "blocked") { metrics?.recordEviction(kind: decision.ref.kind, result: .blocked) }
        case .timedOut:
            if once(decision, "evict-timeout") { metrics?.recordEviction(kind: decision.ref.kind, result: .timedOut) }
        case .done:
            if once(decision, "evict-done") { metrics?.recordRestart(kind: decision.ref.kind, result: .succeeded) }
        case .waitingForReady, .dryRun:
            break
        }
    }

    private func fail(_ decision: Decision, _ error: any Error, log: Logger) async {
        log.error("restart failed", metadata: ["error": "\(error)"])
        metrics?.recordRestart(kind: decision.ref.kind, result: .failed)
        await emit(decision, .warning, .restartFailed, "Restart failed: \(error)")
    }

    private func podsOf(_ decision: Decision, in assessment: Assessment) -> [Pod] {
        guard let workload = assessment.workload(decision.workload) else { return [] }
        return workload.pods.compactMap { caches.pods.get(namespace: $0.ref.namespace, name: $0.ref.name)?.pod }
    }

    // MARK: Announcing

    /// Conditions worth one Event each: risk classes, invalid annotations, finished restarts, forecast misses.
    private func announce(_ assessment: Assessment, _ plan: Plan, now: Timestamp) async {
        for diagnostic in assessment.diagnostics where firstAnnouncement("diag:\(diagnostic.object):\(diagnostic.annotation):\(diagnostic.value)", now: now) {
            await actions.emit(WardenEvent(regarding: diagnostic.object, type: .warning, reason: .invalidAnnotation, message: diagnostic.description))
        }
        for workload in assessment.workloads {
            let deadline = workload.deadline?.rfc3339 ?? "-"
            let key = "\(workload.id):\(deadline)"
            let reason: EventReason? = switch workload.classification {
                case .atRisk: .tokenExpiryAtRisk
                case .expired: .tokenExpired
                case .invalidated: .tokensInvalidated
                case .confirmedStale: .confirmedStaleToken
                case .unconfirmed: .unconfirmedAtRisk
                default: nil
            }
            if let reason, firstAnnouncement("class:\(reason.rawValue):\(key)", now: now) {
                await actions.emit(WardenEvent(regarding: workload.ref, type: .warning, reason: reason, message: "\(workload.reason) (deadline \(deadline))"))
            }
            // A restart is over when the workload no longer needs one and nothing is rolling: seen
            // here for every strategy, since the planner stops handing a healthy workload to the executor.
            if let restartedAt = workload.restartState.restartedAt, !workload.classification.needsRestart,
               !workload.rollout.isInProgress, now - restartedAt < 86_400,
               firstAnnouncement("completed:\(workload.id):\(restartedAt.seconds)", now: now) {
                metrics?.recordRestart(kind: workload.ref.kind, result: .succeeded)
                await actions.emit(WardenEvent(regarding: workload.ref, type: .normal, reason: .restartCompleted,
                    message: "Restart from \(restartedAt.rfc3339) finished; every pod now holds a fresh token"))
            }
        }
        for miss in plan.predictedMisses where firstAnnouncement("forecast:\(miss.workload):\(miss.deadline?.seconds ?? 0)", now: now) {
            guard let workload = assessment.workload(miss.workload) else { continue }
            await actions.emit(WardenEvent(regarding: workload.ref, type: .warning, reason: .forecastMiss,
                message: "With the current maintenance windows and limits this workload cannot be restarted before its deadline \(miss.deadline?.rfc3339 ?? "-") (earliest start \(miss.earliestStart?.rfc3339 ?? "none"))"))
        }
    }

    private func retryLater(_ instant: Timestamp) {
        retryAt.withLock { $0 = min($0 ?? instant, instant) }
    }

    /// For what happened in this pass's own steps (an eviction refused, finished): told at once.
    private func once(_ decision: Decision, _ what: String) -> Bool {
        ledger.firstTime(Self.key(decision, what))
    }

    /// For conditions every pass sees again (a decision it keeps making): paced.
    private func firstAnnouncement(_ decision: Decision, _ what: String, now: Timestamp) -> Bool {
        firstAnnouncement(Self.key(decision, what), now: now)
    }

    /// A decision's condition: what, for which workload, about which deadline.
    private static func key(_ decision: Decision, _ what: String) -> String {
        "\(what):\(decision.workload):\(decision.deadline?.seconds ?? 0)"
    }

    /// True when `key` was not announced yet and the pace allows one more now. A condition held
    /// back is not recorded, so a later pass (sooner than usual, see `reconcile`) announces it;
    /// passes go most urgent first, so those are the ones that wait least.
    private func firstAnnouncement(_ key: String, now: Timestamp) -> Bool {
        guard !ledger.contains(key) else { return false }
        guard announcementPace.withLock({ $0.take(now: Double(now.seconds)) }) else {
            announcementsHeldBack.withLock { $0 = true }
            return false
        }
        return ledger.firstTime(key)
    }

    private func emit(_ decision: Decision, _ type: EventType, _ reason: EventReason, _ message: String) async {
        await actions.emit(WardenEvent(decision: decision, type: type, reason: reason, message: message, action: action(for: decision)))
    }

    private func action(for decision: Decision) -> String {
        switch decision.action {
        case .restart(.evict, _): return "Evict"
        case .restart(.recreate, _): return "Recreate"
        case .restart: return "Restart"
        default: return "Assess"
        }
    }

    // MARK: Bookkeeping

    /// In-flight entries end once the caches show the restart (its state annotation) or it is old.
    /// A rollout's entry lasts until the rollout itself ends — complete (scaled to zero included)
    /// or the workload gone — even past the rollout timeout: it holds its concurrency slot while
    /// the server still shows it running. Until the caches show the patch it stays up to four
    /// rollout timeouts, so caches lagging behind (relists under a 410 storm on a slow machine)
    /// cannot make the same restart look undone and start it twice.
    private func forgetSettledRestarts(_ assessment: Assessment, now: Timestamp) {
        inFlight.withLock { flights in
            for (id, flight) in flights {
                guard let workload = assessment.workload(id) else {
                    flights[id] = nil  // deleted (or no longer assessed)
                    continue
                }
                let visible = workload.restartState.restartForDeadline.map { handled in
                    flight.deadline.map { handled >= $0 } ?? true
                } ?? false
                let age = now - flight.startedAt
                let timeout = configuration.planner.rolloutTimeout
                let settled = flight.strategy == .rollout
                    ? (visible ? !Planner.stillRolling(workload) : age > 4 * timeout)
                    : (visible || age > timeout)
                if settled { flights[id] = nil }
            }
        }
    }

    private func record(_ assessment: Assessment, _ plan: Plan, now: Timestamp) {
        guard let metrics else { return }
        var podCounts: [TokenClassification: Int] = [:]
        var evidenceCounts: [EvidenceSourceLabel: Int] = [:]
        for workload in assessment.workloads {
            for pod in workload.pods {
                podCounts[TokenClassification(pod.classification), default: 0] += 1
                if pod.confirmedStale {
                    let onPod = pod.record.annotations[PolicyAnnotation.staleTokenIssuedAt] != nil
                    evidenceCounts[onPod ? .annotation : .webhook, default: 0] += 1
                }
            }
        }
        metrics.setPodCounts(podCounts)
        metrics.setPodsWithEvidence(evidenceCounts)
        var workloadCounts: [TokenClassification: Int] = [:]
        for (classification, count) in assessment.counts { workloadCounts[TokenClassification(classification), default: 0] += count }
        metrics.setWorkloadCounts(workloadCounts)
        metrics.setWorkloadDeadlines(assessment.workloads.compactMap { workload in
            guard let deadline = workload.deadline else { return nil }
            return WorkloadDeadline(
                namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name,
                secondsRemaining: Double(deadline - now), needsRestart: workload.classification.needsRestart)
        })
        metrics.setForecastMisses(plan.predictedMisses.count)
        metrics.setLastSuccessfulSync(unixSeconds: Double(now.seconds))
    }
}

extension TokenClassification {
    init(_ classification: Classification) {
        switch classification {
        case .ok: self = .ok
        case .atRisk: self = .atRisk
        case .unconfirmed: self = .unconfirmed
        case .expired: self = .expired
        case .invalidated: self = .invalidated
        case .unprotectable: self = .unprotectable
        case .outOfScope: self = .outOfScope
        case .confirmedStale: self = .confirmedStale
        }
    }
}

extension DeferralCause {
    init(_ cause: DeferCause) {
        switch cause {
        case .window: self = .maintenanceWindow
        case .clusterLimit: self = .clusterLimit
        case .namespaceLimit: self = .namespaceLimit
        case .cooldown: self = .cooldown
        case .rolloutInProgress: self = .rolloutInProgress
        }
    }
}
