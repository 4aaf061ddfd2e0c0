import Foundation
import Assess
import KubeModel
import Plan
import WatchCache

/// The real Assessor and Planner on a virtual clock over a simulated cluster's life: owners
/// redeploy, pods die, the cluster is upgraded, the signing key is rotated, the controller is
/// down for two days, and the executor's decisions have simulated outcomes (rollouts that take
/// minutes or hang for hours, pod-by-pod evictions behind PodDisruptionBudgets).
public final class DigitalTwin {
    static let day: Int64 = 86_400
    /// The cluster's real extended lifetime (the API server's), matching the controller's default.
    static let lifetime: Int64 = 365 * day
    /// 2027-01-04T00:00:00Z, a Monday.
    static let epoch: Int64 = 1_799_020_800

    let options: TwinOptions
    var rng: SplitMix64
    var workloads: [TwinWorkload]
    var objects: TwinObjects
    var queue = TwinEventQueue()
    var ledger = TwinLedger()
    var defaults = PolicyDefaults()
    let memo = AssessmentMemo()
    /// The controller's memory of its last forecast (off with `--no-forecast-memo`).
    let forecastMemo: ForecastMemo?
    var assessments: TwinAssessments
    /// Workloads whose objects changed since the last pass.
    var dirty: Set<Int> = []
    var startedRestarts: [WorkloadID: StartedRestart] = [:]
    var windows: [String: MaintenanceWindow] = [:]
    /// Eviction sequences under way, by workload (the executor's memory of them).
    var sequences: [Int: TwinEviction] = [:]
    /// Workloads stepped in the current pass (one step per workload and pass).
    var stepped: Set<Int> = []
    /// Refused and given-up restarts, backed off (the controller's memory).
    var failures = FailureMemory()
    /// How long the controller's finished restarts took (its memory): the forecast's durations.
    var durations = RestartDurations()
    var renewals: [[Int64]]
    var firstStarts: [Int64]
    var controllerDown = false
    /// The operator's raised cluster-wide limit after the key rotation, while in force.
    var rotationLimit: Int?
    /// The key was rotated and the operator has not chosen the raised limits yet.
    var rotationLimitPending = false
    var config: PlannerConfig { options.plannerConfig(rotationLimit: rotationLimit) }
    /// The last plan's herd-spreading lead (the controller's memory of it; the next plan's hint).
    var spreadLead: Int64 = 0
    var plannedPass: Int64?
    var lastPass: Int64?
    /// Each workload's id, made once: passes look restarts up by it for thousands of workloads.
    let ids: [WorkloadID]
    var now: Int64
    let end: Int64

    public init(options: TwinOptions) {
        self.options = options
        forecastMemo = options.forecastMemo ? ForecastMemo() : nil
        rng = SplitMix64(seed: options.seed)
        now = Self.epoch
        end = Self.epoch + Int64(options.days) * Self.day
        workloads = TwinPopulation.make(options, start: Self.epoch, rng: &rng)
        ids = workloads.map(Self.workloadID)
        defaults.restartBefore = Int64(options.restartBeforeDays) * Self.day
        objects = TwinObjects(workloads: workloads.count, namespaces: TwinPopulation.namespaces(options))
        renewals = Array(repeating: [], count: workloads.count)
        assessments = TwinAssessments(ids: ids)
        firstStarts = workloads.map { $0.pods.map(\.start).min() ?? Self.epoch }
        for spec in TwinPopulation.windows.compactMap({ $0 }) {
            if case .success(let window) = MaintenanceWindow.parse(spec) { windows[spec] = window }
        }
    }

    public func run() -> TwinResult {
        let clock = ContinuousClock()
        let started = clock.now
        for w in workloads {
            if let every = w.redeployEvery { queue.schedule(.redeploy(w.index), at: now + Int64.random(in: 1...every, using: &rng)) }
            scheduleDeath(w.index)
        }
        queue.schedule(.upgrade, at: now + Int64(options.upgradeDay) * Self.day + 2 * 3600)
        let rotationDay = Int64.random(in: 100...max(100, Int64(options.days) - 100), using: &rng)
        queue.schedule(.keyRotation, at: now + rotationDay * Self.day + Int64.random(in: 0..<Self.day, using: &rng))
        queue.schedule(.outageStart, at: now + Int64(options.outageDay) * Self.day + 10 * 3600)
        queue.schedule(.outageEnd, at: now + Int64(options.outageDay + 2) * Self.day + 10 * 3600)
        requestPass(at: now)
        while let next = queue.nextTime, next <= end, let (time, event) = queue.pop() {
            now = time
            handle(event)
        }
        now = end
        for w in workloads {
            for pod in w.pods { ledger.podEnded(pod, of: w, at: end, lifetime: Self.lifetime) }
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        ledger.durationsAtEnd = durations
        if let counts = forecastMemo?.counts { ledger.forecastsReused = (counts.hits, counts.hits + counts.misses) }
        return TwinResult(options: options, ledger: ledger, workloads: workloads, minimum: minimumRestarts(), runtimeSeconds: seconds)
    }

    private func handle(_ event: TwinEventQueue.Event) {
        switch event {
        case .pass:
            guard plannedPass == now else { return }  // superseded by an earlier one
            plannedPass = nil
            if controllerDown { return }
            pass()
        case .redeploy(let i):
            replaceAll(i, natural: true)
            if let every = workloads[i].redeployEvery {
                queue.schedule(.redeploy(i), at: now + Int64(Double(every) * Double.random(in: 0.7...1.3, using: &rng)))
            }
        case .podDeath(let i):
            let w = workloads[i]
            if !w.pods.isEmpty {
                let victim = Int.random(in: 0..<w.pods.count, using: &rng)
                replacePod(i, at: victim, readyAfter: 60)
            }
            scheduleDeath(i)
        case .rolloutEnd(let i):
            replaceAll(i, natural: false)
            requestPass(at: now)
        case .ready(let i):
            touch(i)
            requestPass(at: now)
        case .upgrade:
            for i in workloads.indices { queue.schedule(.upgradeWorkload(i), at: now + Int64.random(in: 0..<(4 * 3600), using: &rng)) }
        case .upgradeWorkload(let i):
            replaceAll(i, natural: true)
        case .keyRotation:
            ledger.rotationAt = now
            // The platform rotated the key; the operator sets --tokens-invalid-before to that instant.
            defaults.tokensInvalidBefore = Timestamp(seconds: now)
            rotationLimitPending = true
            requestPass(at: now + 600)
        case .outageStart:
            controllerDown = true
            startedRestarts.removeAll()  // the controller's memory; the cluster keeps its annotations
            sequences.removeAll()
            failures = FailureMemory()
            durations = RestartDurations()
        case .outageEnd:
            controllerDown = false
            requestPass(at: now)
        }
    }

    private func pass() {
        ledger.passes += 1
        lastPass = now
        let at = Timestamp(seconds: now)
        let assessment: Assessment
        var quietWake: Int64?
        if options.wholeClusterPasses {
            assessment = Assessor(defaults: defaults).assess(objects.snapshot(&workloads, now: now), now: at, memo: memo)
        } else {
            let time = now
            let active = Set(startedRestarts.keys.compactMap(index(of:))).union(sequences.keys)
            assessment = assessments.assess(
                now: now, defaults: defaults, config: config, dirty: &dirty, active: active,
                snapshot: { [unowned self] i in objects.snapshot(of: &workloads[i], now: time) })
            quietWake = assessments.nextWake(after: now)
        }
        settleInFlight(assessment)
        if rotationLimitPending {
            rotationLimitPending = false
            rotationLimit = raisedLimit(for: assessment, at: at)
            ledger.rotationLimit = rotationLimit
        } else if rotationLimit != nil, !assessment.workloads.contains(where: { $0.classification == .invalidated && workloads[index(of: $0.id) ?? 0].kind.protectable }) {
            rotationLimit = nil  // every invalidated workload restarted: back to the usual limits
        }
        let plan = Planner(config: config).plan(assessment, now: at, startedRestarts: startedRestarts, backingOff: failures.blocked(now: at),
                                                durations: durations, leadHint: spreadLead, forecastMemo: forecastMemo)
        spreadLead = plan.spreadLead
        for miss in plan.predictedMisses {
            guard let i = index(of: miss.workload), let deadline = miss.deadline else { continue }
            let key = TwinLedger.MissKey(workload: i, deadline: deadline.seconds)
            if ledger.predicted[key] == nil { ledger.predicted[key] = now }
        }
        if let rotation = ledger.rotationAt, ledger.rotationForecastEnd == nil {
            let invalidated = plan.forecast.filter { $0.deadline?.seconds == rotation }
            ledger.rotationForecastEnd = invalidated.map { $0.expectedCompletion?.seconds ?? .max }.max() ?? rotation
        }
        for w in assessment.workloads where w.classification == .expired {
            guard let i = index(of: w.id), workloads[i].kind.protectable, let deadline = w.deadline else { continue }
            ledger.misses.insert(TwinLedger.MissKey(workload: i, deadline: deadline.seconds))
        }
        stepped.removeAll(keepingCapacity: true)
        for decision in plan.decisions {
            execute(decision, in: assessment)
        }
        driveRunningSteps()
        requestPass(at: min(plan.requeueAt.seconds, quietWake ?? .max))
    }

    /// What the runbook's operator does after the rotation: raise the limits step by step until
    /// the forecast says every invalidated workload will be restarted within the target.
    private func raisedLimit(for assessment: Assessment, at: Timestamp) -> Int {
        let steps = options.rotationLimitSteps
        for limit in steps {
            let plan = Planner(config: options.plannerConfig(rotationLimit: limit))
                .plan(assessment, now: at, startedRestarts: startedRestarts, backingOff: failures.blocked(now: at), durations: durations)
            let ends = plan.forecast.filter { $0.deadline == defaults.tokensInvalidBefore }.map { $0.expectedCompletion?.seconds ?? .max }
            if (ends.max() ?? now) - now <= options.rotationTarget { return limit }
        }
        return steps.last ?? options.rotationMaxConcurrent
    }

    func requestPass(at time: Int64) {
        let time = max(time, now, (lastPass ?? Int64.min) + options.minPassInterval)
        guard plannedPass.map({ time < $0 }) ?? true else { return }
        plannedPass = time
        queue.schedule(.pass, at: time)
    }

    /// Workload names are `w` and the index, five digits.
    func index(of id: WorkloadID) -> Int? {
        guard id.name.hasPrefix("w"), let i = Int(id.name.dropFirst()), workloads.indices.contains(i) else { return nil }
        return i
    }

    func id(of w: TwinWorkload) -> WorkloadID { ids[w.index] }

    private static func workloadID(_ w: TwinWorkload) -> WorkloadID {
        let kind: WorkloadKind = switch w.kind {
            case .deployment: .deployment
            case .statefulSet: .statefulSet
            case .daemonSet: .daemonSet
            case .replicationController: .replicationController
            case .barePod: .pod
        }
        return WorkloadID(kind: kind, namespace: w.namespace, name: w.name)
    }

    private func scheduleDeath(_ i: Int) {
        let rate = options.podDeathsPerYear * Double(workloads[i].replicas)
        guard rate > 0 else { return }
        let mean = Double(TwinLedger.year) / rate
        let wait = -mean * log(max(1e-12, Double.random(in: 0..<1, using: &rng)))
        queue.schedule(.podDeath(i), at: now + max(1, Int64(wait)))
    }

    /// Workload `i`'s objects changed: rebuilt and assessed again at the next pass.
    func touch(_ i: Int) {
        workloads[i].changed = true
        dirty.insert(i)
    }

    /// Every pod of workload `i` replaced now (a rollout: ours at its end, or the owners').
    func replaceAll(_ i: Int, natural: Bool) {
        for pod in workloads[i].pods { ledger.podEnded(pod, of: workloads[i], at: now, lifetime: Self.lifetime) }
        workloads[i].pods.removeAll()
        for _ in 0..<workloads[i].replicas { TwinPopulation.addPod(&workloads[i], at: now, readyAfter: 0, rng: &rng) }
        touch(i)
        if natural { renewals[i].append(now) }
    }

    func replacePod(_ i: Int, at position: Int, readyAfter: Int64) {
        ledger.podEnded(workloads[i].pods[position], of: workloads[i], at: now, lifetime: Self.lifetime)
        workloads[i].pods.remove(at: position)
        TwinPopulation.addPod(&workloads[i], at: now, readyAfter: readyAfter, rng: &rng)
        touch(i)
        if readyAfter > 0 { queue.schedule(.ready(i), at: now + readyAfter) }
    }

    private func minimumRestarts() -> [Int] {
        workloads.indices.map { i in
            TwinLedger.minimumRestarts(firstStart: firstStarts[i], renewals: renewals[i], rotation: ledger.rotationAt, end: end,
                                       lifetime: Self.lifetime)
        }
    }
}


