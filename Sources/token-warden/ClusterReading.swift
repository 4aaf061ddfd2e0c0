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
    /// `--token-lifetime auto`: the lifetime used and where it came from (the running
    /// controller's Lease, or the 365 d fallback); nil when the lifetime was given explicitly.
    let clusterTokenLifetime: ClusterTokenLifetime?

    /// What the reader should know about the reading itself (a Lease it could not read), for stderr.
    let notes: [String]

    /// `namespace` nil: every namespace. `lease`: where the running controller's Lease is (its
    /// namespace nil: where `run` puts it); the workloads its leader backs off are planned as
    /// `backoff`, and with `lifetimeFromLease` (`--token-lifetime auto`) the cluster-wide
    /// lifetime is the one published there.
    static func read(config: ClusterConfig, defaults: PolicyDefaults, namespace: String?,
                     planner: PlannerConfig = PlannerConfig(), lease: LeaseLocationOptions? = nil, lifetimeFromLease: Bool = false,
                     progress: (@Sendable (String) -> Void)?) async throws -> ClusterReading {
        let client = KubeClient(config: config, logger: Logger(label: "token-warden.report"), userAgent: BuildInfo.userAgent)
        var defaults = defaults
        var clusterLifetime: ClusterTokenLifetime?
        var controllerLease: ControllerLease?
        if let lease {
            // The Lease where `run` puts it: the flag, else the context's declared namespace, else token-warden.
            controllerLease = await ControllerLease.read(
                client: client, namespace: ControllerConfiguration.LeaderElection.namespace(flag: lease.leaderElectionNamespace, cluster: config),
                name: lease.leaderElectionId)
        }
        if lifetimeFromLease, let controllerLease {
            defaults.tokenLifetime = controllerLease.lifetime.lifetime
            clusterLifetime = controllerLease.lifetime
        }
        let backoff = controllerLease?.backoff() ?? (entries: [:], note: nil)
        let snapshot = try await SnapshotFetcher(client: client, namespace: namespace, progress: progress).fetch()
        // Deadlines are judged on the API server's clock, not this machine's.
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970) + client.serverClockOffsetSeconds)
        let assessment = Assessor(defaults: defaults).assess(snapshot, now: now)
        var memory = FailureMemory()
        memory.seed(backoff.entries)
        var generations: [WorkloadID: Int64] = [:]
        for workload in assessment.workloads { if let generation = workload.generation { generations[workload.id] = generation } }
        var plan = Planner(config: planner).plan(assessment, now: now, startedRestarts: [:], backingOff: memory.blocked(now: now, generations: generations))
        for index in plan.decisions.indices {
            guard case .deferred(.backoff, let until) = plan.decisions[index].action, let entry = memory.entries[plan.decisions[index].workload]
            else { continue }
            let when = until.map { " until \($0.rfc3339)" } ?? ""
            plan.decisions[index].message = "restart deferred\(when) (backoff after \(entry.failures) failed attempt(s)): \(entry.cause)"
        }
        return ClusterReading(assessment: assessment, plan: plan, planner: planner, now: now, clusterTokenLifetime: clusterLifetime,
                              notes: backoff.note.map { [$0] } ?? [])
    }
}
