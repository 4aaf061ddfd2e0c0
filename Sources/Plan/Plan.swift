import Assess
import KubeModel

/// The planner's output: decisions in priority order, the forecast, and when to look again.
public struct Plan: Hashable, Sendable {
    public var generatedAt: Timestamp
    /// One per workload that needs attention (restart, defer, warn, …), highest priority first.
    /// Workloads that are ok or out of scope have none.
    public var decisions: [Decision]
    /// One per workload that needs a restart (and may get one), plus those falling due within the
    /// forecast horizon (`upcoming`), in the order they would run.
    public var forecast: [ForecastEntry]
    /// The next instant the controller should re-evaluate (RequeueAfter).
    public var requeueAt: Timestamp
    /// Restarts in progress (including those this plan starts) and since when: the controller
    /// watches these to report "restart done" or a timeout.
    public var running: [WorkloadID: Timestamp]
    /// The herd spreader's lead (seconds before their due time that herd workloads start; 0:
    /// nothing starts early). The next plan's `leadHint`.
    public var spreadLead: Int64

    public init(
        generatedAt: Timestamp, decisions: [Decision], forecast: [ForecastEntry], requeueAt: Timestamp,
        running: [WorkloadID: Timestamp] = [:], spreadLead: Int64 = 0
    ) {
        self.generatedAt = generatedAt
        self.decisions = decisions
        self.forecast = forecast
        self.requeueAt = requeueAt
        self.running = running
        self.spreadLead = spreadLead
    }

    public var requeueAfter: Int64 { max(1, requeueAt - generatedAt) }

    public func decision(for workload: WorkloadID) -> Decision? { decisions.first { $0.workload == workload } }

    /// Decisions to start a restart now.
    public var restarts: [Decision] {
        decisions.filter { if case .restart = $0.action { return true } else { return false } }
    }

    /// Workloads the forecast says will not be restarted before their deadline.
    public var predictedMisses: [ForecastEntry] { forecast.filter { $0.missesDeadline && !$0.deadlinePassed } }
}
