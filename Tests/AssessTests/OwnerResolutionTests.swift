import Assess
import KubeModel
import Testing

@Suite struct OwnerResolutionTests {
    let now = t("2026-11-23T19:00:00Z")

    /// A snapshot with one workload of every kind this project knows, and some it does not.
    func snapshot() -> ClusterSnapshot {
        let (web, webRS, webOwner) = deployment("web", replicas: 2)
        let bareRS = ReplicaSet(metadata: meta("lonely", kind: "ReplicaSet"))
        let db = StatefulSet(metadata: meta("db", kind: "StatefulSet"), spec: .init(replicas: 1, updateStrategy: UpdateStrategy(type: "OnDelete")))
        let agent = DaemonSet(metadata: meta("agent", kind: "DaemonSet"), spec: .init(updateStrategy: UpdateStrategy(type: "RollingUpdate")))
        let legacy = ReplicationController(metadata: meta("legacy", kind: "ReplicationController"))
        let nightly = Job(metadata: meta("nightly-29000000", kind: "Job", owner: ownerRef("CronJob", "nightly")))
        let argoRS = ReplicaSet(metadata: meta("canary-abc", kind: "ReplicaSet", owner: ownerRef("Rollout", "canary", apiVersion: "argoproj.io/v1alpha1")))
        let pods = [
            makePod(name: "web-1", containers: [TestContainer(startedAt: "2026-02-01T00:00:00Z")], owner: webOwner),
            makePod(name: "web-2", owner: webOwner),
            makePod(name: "lonely-1", owner: ownerRef("ReplicaSet", "lonely")),
            makePod(name: "db-0", owner: ownerRef("StatefulSet", "db")),
            makePod(name: "agent-x", owner: ownerRef("DaemonSet", "agent")),
            makePod(name: "legacy-1", owner: ownerRef("ReplicationController", "legacy")),
            makePod(name: "nightly-1", owner: ownerRef("Job", "nightly-29000000")),
            makePod(name: "canary-1", owner: ownerRef("ReplicaSet", "canary-abc"), annotations: ["token-warden.dev/restart-before": "40d"]),
            makePod(name: "custom-1", owner: ownerRef("Thing", "widget", apiVersion: "example.com/v1")),
            makePod(name: "bare", annotations: ["token-warden.dev/strategy": "recreate"]),
            makePod(name: "bare-plain"),
        ]
        return ClusterSnapshot(pods: pods, namespaces: [namespace()], replicaSets: [webRS, bareRS, argoRS], deployments: [web],
                               statefulSets: [db], daemonSets: [agent], replicationControllers: [legacy], jobs: [nightly])
    }

    @Test(arguments: [
        ("Deployment", "web", RestartStrategy.rollout, 2, ["ReplicaSet ns/web-rs"]),
        ("ReplicaSet", "lonely", .evict, 1, []),
        ("StatefulSet", "db", .evict, 1, []),  // OnDelete: evict instead of rollout
        ("DaemonSet", "agent", .rollout, 1, []),
        ("ReplicationController", "legacy", .evict, 1, []),
        ("Job", "nightly-29000000", .warnOnly, 1, ["CronJob ns/nightly"]),
        ("Rollout", "canary", .evict, 1, ["ReplicaSet ns/canary-abc"]),
        ("Thing", "widget", .evict, 1, []),
        ("Pod", "bare", .recreate, 1, []),
        ("Pod", "bare-plain", .warnOnly, 1, []),
    ])
    func resolvesOwnerAndStrategy(_ kind: String, _ name: String, _ strategy: RestartStrategy, _ podCount: Int, _ chain: [String]) {
        let assessment = Assessor().assess(snapshot(), now: now)
        guard let w = assessment.workloads.first(where: { $0.id.kind.kindName == kind && $0.id.name == name }) else {
            Issue.record("no workload \(kind) \(name): \(assessment.workloads.map(\.id))")
            return
        }
        #expect(w.strategy == strategy)
        #expect(w.pods.count == podCount)
        #expect(w.ownerChain.map(\.description) == chain)
        #expect(w.id.namespace == "ns")
    }

    @Test func workloadCountAndOrder() {
        let assessment = Assessor().assess(snapshot(), now: now)
        #expect(assessment.workloads.count == 10)
        // Equal deadlines: ordered by namespace, kind, name. `web` has a later pod, but its deadline is its earliest.
        let web = assessment.workload(WorkloadID(kind: .deployment, namespace: "ns", name: "web"))!
        #expect(web.deadline == t("2026-12-31T23:11:44Z"))
        #expect(web.pods.map(\.deadline) == [t("2027-01-31T23:11:44Z"), t("2026-12-31T23:11:44Z")])
        // canary is at risk (restart-before 40d): same deadline, more urgent class first.
        #expect(assessment.workloads.prefix(3).map(\.id.description) == ["Rollout/ns/canary", "DaemonSet/ns/agent", "Deployment/ns/web"])
    }

    @Test func customOwnerPolicyComesFromItsPods() {
        let assessment = Assessor().assess(snapshot(), now: now)
        let canary = assessment.workloads.first { $0.id.name == "canary" }!
        #expect(canary.policy.restartBefore == 40 * day)
        #expect(canary.objectKnown == false)
        #expect(canary.id.kind == .custom(kind: "Rollout", apiVersion: "argoproj.io/v1alpha1"))
        // 2026-12-31T23:11:44Z − 40 d = 2026-11-21T23:11:44Z ≤ now: at risk.
        #expect(canary.classification == .atRisk)
        #expect(canary.restartDue == t("2026-11-21T23:11:44Z"))
    }

    @Test func workloadTakesTheMostUrgentPod() {
        let (d, rs, owner) = deployment("mixed", replicas: 3)
        let pods = [
            makePod(name: "a", owner: owner),  // ok
            makePod(name: "b", volume: .apiProjected(expirationSeconds: 7200), owner: owner),  // unprotectable
            makePod(name: "c", containers: [TestContainer(startedAt: "2025-12-01T00:00:00Z")], owner: owner),  // at risk
            makePod(name: "d", phase: "Pending", owner: owner),
        ]
        let a = Assessor().assess(ClusterSnapshot(pods: pods, replicaSets: [rs], deployments: [d]), now: now)
        let w = a.workloads[0]
        #expect(w.classification == .atRisk)
        // The unprotectable pod's deadline (2026-01-01) does not drive the workload's deadline.
        #expect(w.deadline == t("2026-11-30T23:11:44Z"))
        #expect(w.restartDue == t("2026-10-31T23:11:44Z"))
        #expect(w.podsInScope.count == 3)
        #expect(w.oldestTokenIssuedAt == t("2025-11-30T23:11:44Z"))
        #expect(w.reason.hasPrefix("pod c: "))
    }

    @Test func allUnprotectableWorkloadKeepsItsDeadline() {
        let (d, rs, owner) = deployment("short")
        let pods = [makePod(name: "a", volume: .apiProjected(expirationSeconds: 7200), owner: owner)]
        let w = Assessor().assess(ClusterSnapshot(pods: pods, replicaSets: [rs], deployments: [d]), now: now).workloads[0]
        #expect(w.classification == .unprotectable)
        #expect(w.deadline == t("2026-01-01T00:23:50Z"))
    }

    @Test func missingOwnersStillGroup() {
        // Neither the ReplicaSet nor the StatefulSet is in the snapshot.
        let pods = [makePod(name: "x-1", owner: ownerRef("ReplicaSet", "x")), makePod(name: "s-0", owner: ownerRef("StatefulSet", "s"))]
        let a = Assessor().assess(ClusterSnapshot(pods: pods), now: now)
        #expect(Set(a.workloads.map(\.id.description)) == ["ReplicaSet/ns/x", "StatefulSet/ns/s"])
        #expect(a.workloads.allSatisfy { !$0.objectKnown })
        #expect(a.workloads.first { $0.id.kind == .statefulSet }?.strategy == .rollout)
    }

    @Test func ownersWithoutAnyAnnotationAreKnown() {
        let (d, rs, owner) = deployment("bare")
        var plain = d
        plain.metadata.annotations = nil
        let sts = StatefulSet(metadata: meta("db", kind: "StatefulSet"))
        let pods = [makePod(name: "bare-1", owner: owner), makePod(name: "db-0", owner: ownerRef("StatefulSet", "db"))]
        let a = Assessor().assess(ClusterSnapshot(pods: pods, replicaSets: [rs], deployments: [plain], statefulSets: [sts]), now: now)
        #expect(a.workloads.count == 2 && a.workloads.allSatisfy(\.objectKnown))
    }

    @Test func ownersWithoutAMatchingUIDAreFoundByName() {
        // Hand-built objects may lack the uid the reference names: the namespace/name fallback.
        var (d, rs, owner) = deployment("web", annotations: ["token-warden.dev/mode": "report"])
        rs.metadata.uid = nil
        d.metadata.uid = "some-other-uid"
        let a = Assessor().assess(ClusterSnapshot(pods: [makePod(name: "web-1", owner: owner)], replicaSets: [rs], deployments: [d]), now: now)
        #expect(a.workloads.map(\.id.description) == ["Deployment/ns/web"])
        #expect(a.workloads[0].objectKnown)
        #expect(a.workloads[0].policy.mode == .report)
    }

    @Test func rolloutStatusLikeKubectl() {
        var (d, _, _) = deployment("web", replicas: 3)
        #expect(RolloutStatus.of(d) == .complete)
        d.status?.updatedReplicas = 1
        #expect(RolloutStatus.of(d) == .progressing("1 of 3 new replicas updated"))
        d.status?.updatedReplicas = 3
        d.status?.replicas = 4
        #expect(RolloutStatus.of(d) == .progressing("1 old replicas pending termination"))
        d.status?.replicas = 3
        d.metadata.generation = 2
        #expect(RolloutStatus.of(d).isInProgress)
        d.status?.observedGeneration = 2
        d.status?.conditions = [WorkloadCondition(type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded")]
        #expect(RolloutStatus.of(d) == .failed("progress deadline exceeded"))
        let onDelete = StatefulSet(metadata: meta("db", kind: "StatefulSet"), spec: .init(updateStrategy: UpdateStrategy(type: "OnDelete")))
        #expect(RolloutStatus.of(onDelete) == .notApplicable)
        let sts = StatefulSet(metadata: meta("db", kind: "StatefulSet"), spec: .init(replicas: 2),
                              status: .init(observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: "a", updateRevision: "b"))
        #expect(RolloutStatus.of(sts) == .progressing("1 of 2 pods at the new revision"))
    }
}
