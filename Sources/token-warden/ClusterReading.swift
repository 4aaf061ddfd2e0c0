import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import Logging
import Plan

/// One read-only look at a cluster, as `report` and `explain` make it: list what the model
/// needs, assess it on the API server's clock and plan it with the default limits — the same
/// Assessor and Planner the controller runs.
struct ClusterReading: Sendable {
    let assessment: Assessment
    let plan: Plan
    let planner: PlannerConfig
    let now: Timestamp

    /// `namespace` nil: every namespace.
    static func read(config: ClusterConfig, defaults: PolicyDefaults, namespace: String?,
                     planner: PlannerConfig = PlannerConfig(), progress: (@Sendable (String) -> Void)?) async throws -> ClusterReading {
        let client = KubeClient(config: config, logger: Logger(label: "token-warden.report"), userAgent: BuildInfo.userAgent)
        let snapshot = try await SnapshotFetcher(client: client, namespace: namespace, progress: progress).fetch()
        // Deadlines are judged on the API server's clock, not this machine's.
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970) + client.serverClockOffsetSeconds)
        let assessment = Assessor(defaults: defaults).assess(snapshot, now: now, confirmedStale: [])
        let plan = Planner(config: planner).plan(assessment, now: now, inFlight: [:])
        return ClusterReading(assessment: assessment, plan: plan, planner: planner, now: now)
    }
}
