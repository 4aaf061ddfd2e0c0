import Act
import Assess
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
    /// Restarts this process started whose effect the caches may not show yet, so the planner
    /// neither repeats them nor ignores them when counting against the limits.
    let inFlight = Mutex<[WorkloadID: InFlightRestart]>([:])

    public init(
        caches: ClusterCaches, configuration: ControllerConfiguration, actions: any WorkloadActions,
        evidence: StaleTokenEvidenceStore? = nil, metrics: WardenMetrics? = nil,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger = Logger(label: "token-warden.reconcile")
    ) {
        self.caches = caches
        self.configuration = configuration
        self.actions = actions
        self.evidence = evidence
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    public func reconcile(isLeader: Bool) async -> Outcome {
        let now = clock()
        guard caches.hasSynced else { return Outcome(requeueAt: now + 1) }
        let assessment = Assessor(defaults: configuration.defaults)
            .assess(caches.snapshot(), now: now, confirmedStale: evidence?.confirmedPodUIDs ?? [])
        forgetSettledRestarts(assessment, now: now)
        let plan = Planner(config: configuration.planner).plan(assessment, now: now, inFlight: inFlight.withLock { $0 })
        record(assessment, plan, now: now)
        if isLeader {
            await announce(assessment, plan, now: now)
            for decision in plan.decisions {
                await execute(decision, in: assessment, now: now)
            }
        }
        return Outcome(assessment: assessment, plan: plan, requeueAt: plan.requeueAt)
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
                await emit(decision, .normal, .restartStarted, "Rolling restart started: \(decision.message)")
            } catch {
                await fail(decision, error, log: log)
            }
        case .restart(.evict, let resume):
            let pods = podsOf(decision, in: assessment)
            do {
                let step = try await actions.evictNext(decision, workloadPods: pods, now: now, timeoutSeconds: configuration.evictTimeoutSeconds)
                if !resume, case .evicted = step {
                    await emit(decision, .normal, .restartStarted, "Pod-by-pod eviction started: \(decision.message)")
                }
                await report(step, decision, log: log)
            } catch {
                await fail(decision, error, log: log)
            }
        case .restart(.recreate, _):
            guard let pod = podsOf(decision, in: assessment).first else { return }
            do {
                try await actions.recreate(decision, pod: pod, now: now)
                await emit(decision, .normal, .restartStarted, "Pod deleted and created again from its own spec: \(decision.message)")
                metrics?.recordRestart(kind: decision.ref.kind, result: .succeeded)
            } catch {
                await fail(decision, error, log: log)
            }
        case .restart(.warnOnly, _):
            break  // the planner never restarts a warn-only workload
        case .deferred(let cause, let until):
            if once(decision, "deferred:\(cause.rawValue)") {
                metrics?.recordDeferredRestart(cause: DeferralCause(cause))
                let when = until.map { " until \($0.rfc3339)" } ?? ""
                await emit(decision, .normal, .restartDeferred, "Restart deferred (\(cause.rawValue))\(when): \(decision.message)")
            }
        case .rolloutTimedOut(let since):
            if once(decision, "timeout:\(since.seconds)") {
                metrics?.recordRestart(kind: decision.ref.kind, result: .timedOut)
                await emit(decision, .warning, .rolloutTimedOut, "Restart started \(since.rfc3339) did not finish in time; skipped: \(decision.message)")
            }
        case .warnOnly(let reason):
            let (type, eventReason): (EventType, EventReason) = switch reason {
                case .reportMode: (.normal, .wouldRestart)
                case .unprotectable: (.warning, .unprotectable)
                case .noRestartStrategy, .strategyBlocked: (.warning, .warnOnly)
            }
            if once(decision, "warn:\(reason.rawValue)") {
                metrics?.recordRestart(kind: decision.ref.kind, result: .reported)
                await emit(decision, type, eventReason, decision.message)
            }
        case .inProgress, .alreadyRestarted:
            break
        }
    }

    private func report(_ step: EvictionProgress, _ decision: Decision, log: Logger) async {
        switch step {
        case .evicted(let pod):
            metrics?.recordEviction(kind: decision.ref.kind, result: .succeeded)
            log.notice("pod evicted", metadata: ["pod": "\(pod)"])
            await actions.emit(WardenEvent(decision: decision, type: .normal, reason: .podEvicted, message: "Evicted pod \(pod) to replace its token", action: "Evict"))
        case .blocked(let message, _):
            if once(decision, "blocked") {
                metrics?.recordEviction(kind: decision.ref.kind, result: .blocked)
                await emit(decision, .warning, .evictionBlocked, "Eviction refused, retrying: \(message)")
            }
        case .timedOut:
            if once(decision, "evict-timeout") {
                metrics?.recordEviction(kind: decision.ref.kind, result: .timedOut)
                await emit(decision, .warning, .restartFailed, "Eviction sequence did not finish within the evict timeout; giving up for now: \(decision.message)")
            }
        case .waitingForReady, .done:
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
        return workload.pods.compactMap { caches.pods.get(namespace: $0.ref.namespace, name: $0.ref.name) }
    }

    // MARK: Announcing

    /// Conditions worth one Event each: risk classes, invalid annotations, finished restarts, forecast misses.
    private func announce(_ assessment: Assessment, _ plan: Plan, now: Timestamp) async {
        for diagnostic in assessment.diagnostics where ledger.firstTime("diag:\(diagnostic.object):\(diagnostic.annotation):\(diagnostic.value)") {
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
                default: nil
            }
            if let reason, ledger.firstTime("class:\(reason.rawValue):\(key)") {
                await actions.emit(WardenEvent(regarding: workload.ref, type: .warning, reason: reason, message: "\(workload.reason) (deadline \(deadline))"))
            }
            if let restartedAt = workload.restartState.restartedAt, !workload.classification.needsRestart,
               !workload.rollout.isInProgress, now - restartedAt < 86_400,
               ledger.firstTime("completed:\(workload.id):\(restartedAt.seconds)") {
                metrics?.recordRestart(kind: workload.ref.kind, result: .succeeded)
                await actions.emit(WardenEvent(regarding: workload.ref, type: .normal, reason: .restartCompleted,
                    message: "Restart from \(restartedAt.rfc3339) finished; every pod now holds a fresh token"))
            }
        }
        for miss in plan.predictedMisses where ledger.firstTime("forecast:\(miss.workload):\(miss.deadline?.seconds ?? 0)") {
            guard let workload = assessment.workload(miss.workload) else { continue }
            await actions.emit(WardenEvent(regarding: workload.ref, type: .warning, reason: .forecastMiss,
                message: "With the current maintenance windows and limits this workload cannot be restarted before its deadline \(miss.deadline?.rfc3339 ?? "-") (earliest start \(miss.earliestStart?.rfc3339 ?? "none"))"))
        }
    }

    private func once(_ decision: Decision, _ what: String) -> Bool {
        ledger.firstTime("\(what):\(decision.workload):\(decision.deadline?.seconds ?? 0)")
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
    private func forgetSettledRestarts(_ assessment: Assessment, now: Timestamp) {
        inFlight.withLock { flights in
            for (id, flight) in flights {
                let visible = assessment.workload(id).map { workload in
                    guard let handled = workload.restartState.restartForDeadline else { return false }
                    return flight.deadline.map { handled >= $0 } ?? true
                } ?? true
                if visible || now - flight.startedAt > configuration.planner.rolloutTimeout {
                    flights[id] = nil
                }
            }
        }
    }

    private func record(_ assessment: Assessment, _ plan: Plan, now: Timestamp) {
        guard let metrics else { return }
        var podCounts: [TokenClassification: Int] = [:]
        for workload in assessment.workloads {
            for pod in workload.pods { podCounts[TokenClassification(pod.classification), default: 0] += 1 }
        }
        metrics.setPodCounts(podCounts)
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
