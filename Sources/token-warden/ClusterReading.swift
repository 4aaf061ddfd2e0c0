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

    /// `namespace` nil: every namespace. `lease` set (`--token-lifetime auto`): the cluster-wide
    /// lifetime is the one published on that Lease (its namespace nil: the context's).
    static func read(config: ClusterConfig, defaults: PolicyDefaults, namespace: String?,
                     planner: PlannerConfig = PlannerConfig(), lease: LeaseLocationOptions? = nil,
                     progress: (@Sendable (String) -> Void)?) async throws -> ClusterReading {
        let client = KubeClient(config: config, logger: Logger(label: "token-warden.report"), userAgent: BuildInfo.userAgent)
        var defaults = defaults
        var clusterLifetime: ClusterTokenLifetime?
        if let lease {
            // The Lease where `run` puts it: the flag, else the context's declared namespace, else token-warden.
            let lifetime = await publishedLifetime(
                client: client, namespace: ControllerConfiguration.LeaderElection.namespace(flag: lease.leaderElectionNamespace, cluster: config),
                name: lease.leaderElectionId)
            defaults.tokenLifetime = lifetime.lifetime
            clusterLifetime = lifetime
        }
        let snapshot = try await SnapshotFetcher(client: client, namespace: namespace, progress: progress).fetch()
        // Deadlines are judged on the API server's clock, not this machine's.
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970) + client.serverClockOffsetSeconds)
        let assessment = Assessor(defaults: defaults).assess(snapshot, now: now)
        let plan = Planner(config: planner).plan(assessment, now: now, inFlight: [:])
        return ClusterReading(assessment: assessment, plan: plan, planner: planner, now: now, clusterTokenLifetime: clusterLifetime)
    }

    /// The lifetime the running controller published on its Lease, else 365 d with the reason.
    static func publishedLifetime(client: KubeClient, namespace: String, name: String) async -> ClusterTokenLifetime {
        let lease = "\(namespace)/\(name)"
        do {
            let found = try await client.get(Lease.self, namespace: namespace, name: name)
            return .published(onLease: found.metadata.annotations ?? [:], lease: lease)
        } catch let error as APIError where error.isNotFound {
            return .published(onLease: nil, lease: lease)
        } catch {
            return .fallback("cannot read Lease \(lease): \(error)")
        }
    }
}
