import Assess
import KubeModel

/// The workloads a pass plans, kept up to date from the incremental assessment's changes so that
/// a pass costs in proportion to what changed, not to the cluster (`Planner.plan` of its view is
/// `Planner.plan` of the whole assessment: the property tests hold the two equal).
///
/// A workload is *in view* when the planner, or the pass's announcements, may do something with
/// it whatever the clock: it needs a restart, cannot be protected, is unconfirmed, has a restart
/// not yet recorded as complete, or is rolling after a restart of this controller's. A healthy
/// workload whose restart will fall due *waits* until that instant comes within the planner's
/// reach (the forecast horizon, or its max-lead for spreading), then stays in view until it is
/// assessed again; any other healthy workload is out of view until it is assessed again. The
/// planner reads two things of those left out: the earliest `nextTransition` and the earliest
/// instant spreading reaches one.
/// Restarts running or started by this process are added by the caller (`view(at:including:)`).
public struct PlanningWatchlist: Sendable {
    public let config: PlannerConfig
    private var inView: [WorkloadID: WorkloadAssessment] = [:]
    /// `inView` in deadline order, kept so as workloads enter and leave it: a pass moves a few of
    /// thousands (a herd within reach, or many workloads rolling after this controller's restarts).
    private var sortedInView: [WorkloadAssessment] = []
    /// While `follow` takes in a whole assessment: `sortedInView` is only appended to.
    private var rebuilding = false
    private var waiting: [WorkloadID: WorkloadAssessment] = [:]
    /// When each waiting workload comes into view.
    private var entries = InstantIndex()
    /// The waiting workloads spreading looks ahead for (their pool entry: `Planner.plan`).
    private var poolEntries = InstantIndex()
    /// Every workload's `nextTransition`.
    private var transitions = InstantIndex()

    public init(config: PlannerConfig) { self.config = config }

    public var inViewCount: Int { inView.count }

    /// Takes in what the last incremental pass changed (everything after a pass that assessed everything).
    public mutating func follow(_ state: AssessmentState) {
        if state.lastPassAssessedEverything {
            self = PlanningWatchlist(config: config)
            // Every workload at once: the view is sorted once at the end, not kept so one by one.
            rebuilding = true
            for workload in state.allWorkloads { update(workload.id, to: workload) }
            rebuilding = false
            sortedInView.sort(by: Assessment.deadlineOrder)
        } else {
            for id in state.lastChanged { update(id, to: state.workload(id)) }
        }
    }

    /// `workload`'s new assessment (nil: it is gone).
    public mutating func update(_ id: WorkloadID, to workload: WorkloadAssessment?) {
        if let old = inView.removeValue(forKey: id) { removeFromOrder(old) }
        waiting[id] = nil
        entries.set(id, nil)
        poolEntries.set(id, nil)
        transitions.set(id, workload?.nextTransition)
        guard let workload else { return }
        if Self.alwaysInView(workload) {
            enterView(workload)
        } else if let entry = entry(workload) {
            waiting[id] = workload
            entries.set(id, entry)
            if config.spreadHerds, workload.policy.maxLead > 0 { poolEntries.set(id, entry) }
        }
    }

    /// The view at `now`: waiting workloads whose restart has come within reach join it first.
    /// `including`: the workloads of restarts this process started or still drives, wherever they are.
    public mutating func view(at now: Timestamp, including extra: [WorkloadAssessment] = []) -> PlanningView {
        for id in entries.removeDue(now) {
            poolEntries.set(id, nil)
            if let workload = waiting.removeValue(forKey: id) { enterView(workload) }
        }
        var workloads = sortedInView
        let added = extra.filter { inView[$0.id] == nil }
        if !added.isEmpty {
            workloads = (workloads + added).sorted(by: Assessment.deadlineOrder)
            // `extra` may name one workload twice (started and driven): one entry in the view.
            var unique: [WorkloadAssessment] = []
            unique.reserveCapacity(workloads.count)
            for workload in workloads where unique.last?.id != workload.id { unique.append(workload) }
            workloads = unique
        }
        return PlanningView(workloads: workloads, nextTransition: transitions.earliest(), poolEntry: poolEntries.earliest())
    }

    private mutating func enterView(_ workload: WorkloadAssessment) {
        inView[workload.id] = workload
        if rebuilding {
            sortedInView.append(workload)
        } else {
            sortedInView.insert(workload, at: orderPosition(of: workload))
        }
    }

    private mutating func removeFromOrder(_ workload: WorkloadAssessment) {
        // Deadline order is total (the id breaks ties): the workload is where it would go.
        let position = orderPosition(of: workload)
        if position < sortedInView.count, sortedInView[position].id == workload.id {
            sortedInView.remove(at: position)
        } else if let found = sortedInView.firstIndex(where: { $0.id == workload.id }) {
            sortedInView.remove(at: found)
        }
    }

    /// The first place in `sortedInView` whose workload does not come before `workload`.
    private func orderPosition(of workload: WorkloadAssessment) -> Int {
        var low = 0, high = sortedInView.count
        while low < high {
            let middle = (low + high) / 2
            if Assessment.deadlineOrder(sortedInView[middle], workload) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The planner may act on it, or an announcement be due, at any instant.
    static func alwaysInView(_ workload: WorkloadAssessment) -> Bool {
        switch workload.classification {
        case .confirmedStale, .invalidated, .expired, .atRisk, .unprotectable, .unconfirmed: return true
        case .ok, .outOfScope: break
        }
        // Rolling matters to the planner and the announcements only on a workload this controller
        // restarted (its restart holds a slot while it rolls: `runningSince`); a healthy workload
        // rolled by anyone else, or whose pods flap, is nothing to plan, and a cluster with many of
        // them would otherwise make every pass plan them all.
        let state = workload.restartState
        guard state.restartedAt != nil else { return false }
        return Planner.stillRolling(workload) || !state.completionRecorded
    }

    /// When a healthy workload's restart comes within the planner's reach (it spreads and
    /// forecasts restarts due within it); nil if it never does before it is assessed again.
    func entry(_ workload: WorkloadAssessment) -> Timestamp? {
        guard workload.classification == .ok, let due = workload.restartDue, workload.policy.mode == .restart,
              workload.strategy.method != nil else { return nil }
        return due - max(config.forecastHorizon, workload.policy.maxLead)
    }
}
