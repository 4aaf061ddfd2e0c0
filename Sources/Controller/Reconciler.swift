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
/// doing it twice in a row changes nothing the second time. What a pass tells, counts and
/// remembers is decided as data (`PassEffects`, `PassGauges`) and performed in one place (`perform`).
public final class Reconciler: Sendable {
    public struct Outcome: Sendable {
        public var assessment: Assessment?
        public var plan: Plan?
        /// When to run again even if nothing changes (deadlines move with the clock).
        public var requeueAt: Timestamp
        /// How many watch events the pass took in (what `PassPacing` weighs its cost against).
        public var eventsTakenIn = 0
    }

    let caches: ClusterCaches
    let configuration: ControllerConfiguration
    let actions: any WorkloadActions
    let evidence: StaleTokenEvidenceStore?
    let metrics: WardenMetrics?
    let clock: @Sendable () -> Timestamp
    let logger: Logger
    /// The cluster-wide token lifetime in use (`--token-lifetime auto` may change it at a token
    /// reload); nil: `configuration.defaults.tokenLifetime`.
    let clusterTokenLifetime: (@Sendable () -> TokenLifetime)?
    let ledger = EventLedger()
    /// The assessments kept between passes: only workloads whose inputs changed (or whose
    /// classification the clock changed) are assessed again.
    let assessmentState = Mutex(AssessmentState())
    /// What an incremental pass plans, announces and acts on, kept up to date from `assessmentState`.
    let watchlist: Mutex<PlanningWatchlist>
    /// Restarts this process started whose effect the caches may not show yet, so the planner
    /// neither repeats them nor ignores them when counting against the limits.
    let startedRestarts = Mutex<[WorkloadID: StartedRestart]>([:])
    /// How long this process's finished restarts held their slot: the forecast's durations.
    let restartDurations = Mutex(RestartDurations())
    /// The last plan's herd-spreading lead: the next plan's hint (`Planner.plan(leadHint:)`).
    let spreadLead = Mutex(Int64(0))
    /// The last plan's lead and forecast, reused while nothing they read has changed (`ForecastMemo`).
    let forecastMemo = ForecastMemo()
    /// The earliest moment a refused step asked to be retried (a PDB's Retry-After), this pass.
    let retryAt = Mutex<Timestamp?>(nil)
    /// Paces announcements cluster-wide (see `ControllerConfiguration.announcementBurst`).
    let announcementPace: Mutex<TokenBucket>
    /// Set when this pass held an announcement back: the next pass comes sooner to make it.
    let announcementsHeldBack = Mutex(false)
    /// Refused or failed writes per workload: they are retried after a backoff, never once per pass.
    let failures: Mutex<FailureMemory>
    /// Workloads stepped in this pass (an eviction sequence is stepped at most once per pass).
    let stepped = Mutex<Set<WorkloadID>>([])
    /// Fencing: true while this replica may write (its lease is valid with margin). Asked before
    /// every step and Event; once false, the pass writes nothing more.
    let mayWrite: @Sendable () -> Bool
    /// This pass found the lease in doubt and stopped writing.
    let fenced = Mutex(false)
    /// The audit webhook's batches (nil without a webhook: no fail-safe to apply).
    let batchClock: AuditBatchClock?
    let health: HealthState?
    /// When the evidence was last pruned (`pruneEvidence`).
    let evidencePrunedAt = Mutex<Timestamp?>(nil)
    /// The evidence source's state at the last pass (nil before the first).
    let evidenceSourceLive = Mutex<Bool?>(nil)
    /// The state this replica's pod last said in an Event (live until said otherwise), and the
    /// Event that says the current one while the two differ: only a leader's pass writes it.
    let evidenceSourceSaid = Mutex<(live: Bool, owed: WardenEvent?)>((true, nil))
    /// Writes when this replica last took a batch onto its own pod (`auditBatchAt`); true when written.
    let shareBatchTime: (@Sendable (Timestamp) async -> Bool)?
    /// The batch time last written there.
    let sharedBatchTime = Mutex<Timestamp?>(nil)

    public init(
        caches: ClusterCaches, configuration: ControllerConfiguration, actions: any WorkloadActions,
        evidence: StaleTokenEvidenceStore? = nil, metrics: WardenMetrics? = nil, batchClock: AuditBatchClock? = nil,
        health: HealthState? = nil, shareBatchTime: (@Sendable (Timestamp) async -> Bool)? = nil,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger = Logger(label: "token-warden.reconcile"),
        mayWrite: @escaping @Sendable () -> Bool = { true },
        clusterTokenLifetime: (@Sendable () -> TokenLifetime)? = nil
    ) {
        self.clusterTokenLifetime = clusterTokenLifetime
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
        self.mayWrite = mayWrite
        failures = Mutex(FailureMemory(policy: configuration.backoff))
        watchlist = Mutex(PlanningWatchlist(config: configuration.planner))
        announcementPace = Mutex(TokenBucket(
            burst: configuration.announcementBurst, ratePerSecond: configuration.announcementsPerSecond, now: Double(clock().seconds)))
    }

    public func reconcile(isLeader: Bool) async -> Outcome {
        let now = clock()
        guard caches.hasSynced else { return Outcome(requeueAt: now + 1) }
        var defaults = configuration.defaults
        defaults.evidenceFallback = await evidenceFallback(now: now, podsInNamespace: caches.podGroupIndex.pods(inNamespace:))
        if let clusterTokenLifetime { defaults.tokenLifetime = clusterTokenLifetime() }
        pruneEvidence(now: now)
        let (changes, arrivals) = caches.changes.drain()
        let assessment: Assessment, tally: AssessmentTally, generation: (WorkloadID) -> Int64?
        /// What the pass plans, announces and acts on: a full pass, every workload; an
        /// incremental one, the watchlist's view (the same plan, Events and steps).
        let view: PlanningView, acting: Assessment
        if configuration.fullPasses {
            assessment = Assessor(defaults: defaults).assess(caches.snapshot(), now: now, evidence: evidence?.evidence() ?? [:])
            tally = AssessmentTally(assessment)
            var generations: [WorkloadID: Int64] = [:]
            for workload in assessment.workloads { if let known = workload.generation { generations[workload.id] = known } }
            generation = { generations[$0] }
            view = PlanningView(assessment)
            acting = assessment
        } else {
            // Taken out of the lock while the pass updates it: a copy left behind would make the
            // update copy every table.
            var state = assessmentState.withLock { state in
                defer { state = AssessmentState() }
                return state
            }
            assessment = IncrementalAssessor(defaults: defaults)
                .assess(caches, changes: changes, state: &state, now: now, evidence: evidence?.evidence() ?? [:])
            tally = state.tally
            let kept = state
            generation = { kept.workload($0)?.generation }
            view = planningView(following: state, now: now)
            assessmentState.withLock { $0 = state }
            acting = Assessment(generatedAt: assessment.generatedAt, workloads: view.workloads, diagnostics: assessment.diagnostics)
        }
        forgetSettledRestarts(acting, now: now)
        let backingOff = failures.withLock { memory in
            memory.forget(before: now - 3600)
            return memory.blocked(now: now, generation: generation)
        }
        let plan = Planner(config: configuration.planner)
            .plan(view, now: now, startedRestarts: startedRestarts.withLock { $0 }, backingOff: backingOff,
                  durations: restartDurations.withLock { $0 }, leadHint: spreadLead.withLock { $0 }, forecastMemo: forecastMemo)
        spreadLead.withLock { $0 = plan.spreadLead }
        record(assessment, tally, plan, now: now,
               needingRestart: configuration.fullPasses ? nil : acting.workloads.filter { $0.classification.needsRestart })
        if let metrics, !arrivals.isEmpty {
            let decided = ContinuousClock.now
            metrics.observeEventToDecision(arrivals.map { decided - $0 })
        }
        retryAt.withLock { $0 = nil }
        announcementsHeldBack.withLock { $0 = false }
        stepped.withLock { $0.removeAll() }
        fenced.withLock { $0 = false }
        if isLeader, writable() {
            await sayEvidenceSource()
            await announce(acting, plan, now: now)
            for decision in plan.decisions {
                guard writable() else { break }
                await execute(decision, in: acting, now: now)
            }
            await driveRunningSteps(plan, in: acting, now: now)
        }
        var requeueAt = retryAt.withLock { $0 }.map { min($0, plan.requeueAt) } ?? plan.requeueAt
        if announcementsHeldBack.withLock({ $0 }) {
            // Half a burst's refill: each of those passes makes about that many announcements.
            let pace = Double(configuration.announcementBurst) / max(configuration.announcementsPerSecond, 0.001) / 2
            requeueAt = min(requeueAt, now + max(1, Int64(pace.rounded(.up))))
        }
        return Outcome(assessment: assessment, plan: plan, requeueAt: requeueAt, eventsTakenIn: arrivals.count)
    }

    // MARK: Announcing

    /// Conditions worth one Event each: risk classes, invalid annotations, finished restarts, forecast misses.
    private func announce(_ assessment: Assessment, _ plan: Plan, now: Timestamp) async {
        await perform(PassEffects.announcements(assessment, plan, now: now, alreadySaid: ledger.contains), now: now, log: logger)
    }

    func retryLater(_ instant: Timestamp) {
        retryAt.withLock { $0 = min($0 ?? instant, instant) }
    }

    /// True when `key` was not announced yet and the pace allows one more now. A condition held
    /// back is not recorded, so a later pass (sooner than usual, see `reconcile`) announces it;
    /// passes go most urgent first, so those are the ones that wait least.
    func firstAnnouncement(_ key: String, now: Timestamp) -> Bool {
        guard !ledger.contains(key) else { return false }
        guard announcementPace.withLock({ $0.take(now: Double(now.seconds)) }) else {
            announcementsHeldBack.withLock { $0 = true }
            return false
        }
        return ledger.firstTime(key)
    }

    /// Every Event of the reconciler goes out here: not once the lease is in doubt.
    func send(_ event: WardenEvent) async {
        guard writable() else { return }
        if await actions.emit(event) == .fenced { fence() }
    }

    /// Fencing, asked before every step and Event: false once this pass found the lease in doubt.
    func writable() -> Bool {
        if fenced.withLock({ $0 }) { return false }
        if mayWrite() { return true }
        fence()
        return false
    }

    /// The lease is in doubt (asked here, or a request refused by the client's write gate): the
    /// pass writes nothing more.
    func fence() {
        let already = fenced.withLock { fenced in
            defer { fenced = true }
            return fenced
        }
        guard !already else { return }
        logger.warning("the lease is not valid with margin (renew deadline): this pass stops before its next write")
    }

    // MARK: Bookkeeping

    /// In-flight entries end once the caches show the restart (its state annotation) or it is old.
    /// A rollout's entry lasts until the rollout itself ends — complete (scaled to zero included)
    /// or the workload gone — even past the rollout timeout: it holds its concurrency slot while
    /// the server still shows it running. Until the caches show the patch it stays up to four
    /// rollout timeouts, so caches lagging behind (relists under a 410 storm on a slow machine)
    /// cannot make the same restart look undone and start it twice.
    private func forgetSettledRestarts(_ assessment: Assessment, now: Timestamp) {
        let driven = Set(actions.runningEvictions().map(\.decision.workload))
        startedRestarts.withLock { flights in
            for (id, flight) in flights {
                guard let workload = assessment.workload(id) else {
                    if !driven.contains(id) { flights[id] = nil }  // deleted (or no longer assessed)
                    continue
                }
                let visible = workload.restartState.restartForDeadline.map { handled in
                    flight.deadline.map { handled >= $0 } ?? true
                } ?? false
                let age = now - flight.startedAt
                let timeout = configuration.planner.rolloutTimeout
                // An eviction sequence holds its slot while it is driven, then until the caches show it.
                let finished = flight.strategy == .rollout
                    ? visible && !Planner.stillRolling(workload)
                    : !driven.contains(id) && (visible || age > timeout)
                let settled = finished || (flight.strategy == .rollout && !visible && age > 4 * timeout)
                guard settled else { continue }
                flights[id] = nil
                // A rollout never seen (lost patch) measures nothing; a finished or given-up one held its slot that long.
                guard finished else { continue }
                restartDurations.withLock { durations in
                    if flight.strategy == .rollout {
                        durations.recordRollout(seconds: age)
                    } else {
                        durations.recordEviction(seconds: age, pods: workload.podsInScopeCount)
                    }
                }
            }
        }
    }

    private func record(_ assessment: Assessment, _ tally: AssessmentTally, _ plan: Plan, now: Timestamp, needingRestart: [WorkloadAssessment]?) {
        guard let metrics else { return }
        PassGauges(assessment, tally: tally, plan, now: now, nextEarliest: metrics.deadlineSelection.nextEarliest,
                   needingRestart: needingRestart).set(on: metrics)
    }

    /// The watchlist after `state`'s pass, viewed at `now` with the workloads of the restarts this
    /// process started or still drives (they may act while healthy: an eviction sequence goes on).
    private func planningView(following state: AssessmentState, now: Timestamp) -> PlanningView {
        var driven = Set(startedRestarts.withLock { $0.keys })
        driven.formUnion(actions.runningEvictions().map(\.decision.workload))
        driven.formUnion(actions.runningRecreations().map(\.workload))
        let extra = driven.compactMap(state.workload)
        return watchlist.withLock { watchlist in
            watchlist.follow(state)
            return watchlist.view(at: now, including: extra)
        }
    }
}

extension Reconciler {
    /// The deadline series' candidates for this reconciler's metrics (`PassGauges.deadlineCandidates`).
    func deadlineCandidates(_ assessment: Assessment, now: Timestamp) -> [WorkloadDeadline] {
        PassGauges.deadlineCandidates(
            assessment, now: now, nextEarliest: metrics?.deadlineSelection.nextEarliest ?? DeadlineSeriesSelection.defaultNextEarliest)
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
        case .backoff: self = .backoff
        }
    }
}
