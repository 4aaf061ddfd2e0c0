import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Testing
import TestSupport
import Transport

/// Every registered workload kind (`WorkloadKindRegistry.all`) walked through the whole data
/// path on the simulated cluster: listed (fetch), resolved to its own kind with its object
/// known (resolve), assessed at risk with its kind's strategy (assess), then cached, restarted
/// and completed by the running controller (cache → act). A kind added to the registry without
/// a scenario here, or without one of its pieces, fails this test.
@Suite(.serialized) struct WorkloadKindWalkTests {
    /// One settled, at-risk workload of each kind, named `w` in a namespace of its own.
    static let scenarios: [WorkloadKind: @Sendable (inout ScenarioBuilder, String) -> Void] = [
        .deployment: { s, ns in s.deployment(ns, "w", replicas: 2, ageDays: 360) },
        .statefulSet: { s, ns in s.statefulSet(ns, "w", replicas: 2, ageDays: 360) },
        .daemonSet: { s, ns in s.daemonSet(ns, "w", ageDays: 360) },
        .argoRollout: { s, ns in s.argoRollout(ns, "w", replicas: 2, ageDays: 360, stored: true) },
        .replicaSet: { s, ns in s.replicaSet(ns, "w", replicas: 2, ageDays: 360) },
        .replicationController: { s, ns in s.replicationController(ns, "w", replicas: 2, ageDays: 360) },
        // A Job's pods are only warned about unless the Job opts in to eviction.
        .job: { s, ns in s.job(ns, "w", ageDays: 360, annotations: ["token-warden.dev/strategy": "evict"]) },
    ]

    static func namespace(_ kind: WorkloadKind) -> String { "kind-\(kind.kindName.lowercased())" }

    @Test func everyRegisteredKindIsCachedFetchedResolvedAssessedAndRestarted() async throws {
        let missing = WorkloadKindRegistry.all.map(\.kind).filter { Self.scenarios[$0] == nil }
        #expect(missing.isEmpty, "registered kinds without a scenario: \(missing)")
        let specs = WorkloadKindRegistry.all.filter { Self.scenarios[$0.kind] != nil }
        let harness = try ScenarioHarness(crds: ResourceCatalog.crds) { s in
            for spec in specs {
                s.namespace(Self.namespace(spec.kind))
                Self.scenarios[spec.kind]?(&s, Self.namespace(spec.kind))
            }
        }
        defer { harness.stop() }

        // fetch → resolve → assess, as `report` does.
        let tls = TLSSettings(certificateAuthority: harness.sim.certificateAuthorityPEM.map { .pem(Array($0.utf8)) })
        let client = KubeClient(config: ClusterConfig(server: harness.sim.url, tls: tls, token: .fixed(harness.sim.adminToken), origin: "test"))
        let snapshot = try await SnapshotFetcher(client: client, namespace: nil).fetch()
        let assessment = Assessor().assess(snapshot, now: Timestamp(seconds: Int64(Date().timeIntervalSince1970)))
        for spec in specs {
            #expect(Self.listedCount(spec.model, snapshot) ?? 0 >= 1, "\(spec.kind): not listed")
            let id = WorkloadID(kind: spec.kind, namespace: Self.namespace(spec.kind), name: "w")
            let workload = try #require(assessment.workload(id), "\(spec.kind): pods not resolved to it: \(assessment.workloads.map(\.id))")
            #expect(workload.objectKnown, "\(spec.kind)")
            #expect(workload.classification == .atRisk, "\(spec.kind): \(workload.classification)")
            let expected: RestartStrategy = spec.traits.defaultStrategy == .warnOnly ? .evict : spec.traits.defaultStrategy
            #expect(workload.policy.strategy == expected, "\(spec.kind): \(workload.policy.strategy)")
        }

        // cache → act: the controller restarts each one with its kind's method, and sees it complete.
        let replica = try harness.start(try harness.runtime(maxConcurrent: specs.count, perNamespace: 1))
        let all = Set(specs.map { "\(Self.namespace($0.kind))/w" })
        let done = try await harness.wait(seconds: 60) { harness.completed(all) }
        let watching = replica.runtime.caches.isWatching(.argoRollout)
        await replica.stop()
        #expect(done, "not completed: \(all.subtracting(harness.events("RestartCompleted")).sorted())")
        #expect(watching)
        let requests = harness.sim.requestLog.all
        for spec in specs {
            let ns = Self.namespace(spec.kind)
            if spec.traits.defaultStrategy == .rollout {
                let patches = requests.filter { $0.verb == "patch" && $0.resource == spec.resource.plural && $0.namespace == ns && $0.code < 300 }
                #expect(!patches.isEmpty, "\(spec.kind): no restart patch")
                #expect(harness.evictions().filter { $0.hasPrefix("\(ns)/") }.isEmpty, "\(spec.kind): evicted instead")
            } else {
                #expect(!harness.evictions().filter { $0.hasPrefix("\(ns)/") }.isEmpty, "\(spec.kind): nothing evicted")
            }
            #expect(harness.events("RestartStarted").contains("\(ns)/w") || spec.traits.defaultStrategy != .rollout, "\(spec.kind)")
        }
    }

    private static func listedCount<Object: KubeObject>(_ type: Object.Type, _ snapshot: ClusterSnapshot) -> Int? {
        snapshot.listed(type)?.count
    }
}
