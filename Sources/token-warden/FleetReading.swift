import APIClient
import Assess
import Foundation
import Report

/// `report` over several kubeconfig contexts: each cluster is read as a single-cluster report
/// reads it (`ClusterReading`), all at once; one that cannot be read (unreachable, forbidden,
/// a broken context) is reported with its error and the others still are.
struct FleetReading {
    let cluster: ClusterConnectionOptions
    let defaults: PolicyDefaults
    /// `-n`; nil: each context's own namespace.
    let namespace: String?
    let allNamespaces: Bool
    /// Each cluster's controller Lease: its backoff, and with `lifetimeFromLease` (`--token-lifetime auto`) its lifetime.
    let lease: LeaseLocationOptions?
    var lifetimeFromLease = false
    let options: ReportOptions

    func read(contexts: [String]) async -> FleetReportRenderer {
        let members = await withTaskGroup(of: (Int, FleetReportRenderer.Member).self) { group in
            for (index, context) in contexts.enumerated() {
                group.addTask { (index, await member(context)) }
            }
            var members: [(Int, FleetReportRenderer.Member)] = []
            for await member in group { members.append(member) }
            return members.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return FleetReportRenderer(members: members, options: options)
    }

    private func member(_ context: String) async -> FleetReportRenderer.Member {
        do {
            let config = try cluster.load(context: context)
            let scope: String? = allNamespaces ? nil : (namespace ?? config.namespace)
            let reading = try await ClusterReading.read(config: config, defaults: defaults, namespace: scope, lease: lease,
                                                        lifetimeFromLease: lifetimeFromLease, progress: nil)
            var options = options
            options.clusterTokenLifetime = reading.clusterTokenLifetime
            let renderer = ReportRenderer(assessment: reading.assessment, plan: reading.plan, options: options)
            return .init(context: context, outcome: .success(renderer))
        } catch {
            return .init(context: context, outcome: .failure(.init("\(error)")))
        }
    }
}
