import Assess
import KubeModel
import Testing

/// Argo Rollouts as a registered kind: its pods (through a ReplicaSet) resolve to the Rollout when
/// Rollouts were listed, its restart is Argo's own `spec.restartAt`, its status is Argo's.
@Suite struct ArgoRolloutKindTests {
    let now = t("2026-11-23T19:00:00Z")

    func rollout(paused: Bool = false, restartAt: String? = nil, status: ArgoRollout.Status? = nil) -> ArgoRollout {
        ArgoRollout(metadata: meta("canary", kind: "Rollout"), spec: .init(replicas: 2, paused: paused, restartAt: restartAt),
                    status: status ?? .init(currentPodHash: "h1", stableRS: "h1", replicas: 2, updatedReplicas: 2, readyReplicas: 2,
                                            availableReplicas: 2))
    }

    func snapshot(_ rollouts: [ArgoRollout]?) -> ClusterSnapshot {
        let rolloutRef = ownerRef("Rollout", "canary", apiVersion: "argoproj.io/v1alpha1")
        let rs = ReplicaSet(metadata: meta("canary-h1", kind: "ReplicaSet", owner: rolloutRef))
        let pods = (0..<2).map { makePod(name: "canary-h1-\($0)", containers: [TestContainer(startedAt: "2025-12-01T00:00:00Z")],
                                         owner: ownerRef("ReplicaSet", "canary-h1")) }
        var snapshot = ClusterSnapshot(pods: pods, replicaSets: [rs])
        if let rollouts { snapshot[objects: ArgoRollout.self] = rollouts }
        return snapshot
    }

    @Test func podsOfAListedRolloutResolveToItAndRollByRestartAt() throws {
        let w = try #require(Assessor().assess(snapshot([rollout()]), now: now).workloads.first)
        #expect(w.id == WorkloadID(kind: .argoRollout, namespace: "ns", name: "canary"))
        #expect(w.objectKnown)
        #expect(w.ownerChain.map(\.name) == ["canary-h1"])
        #expect(w.policy.strategy == .rollout)
        #expect(w.rollout == .complete)
    }

    @Test func unlistedRolloutsOrAMissingRolloutLeaveACustomOwner() throws {
        for rollouts in [nil, [] as [ArgoRollout]] {
            let w = try #require(Assessor().assess(snapshot(rollouts), now: now).workloads.first)
            #expect(w.id.kind == .custom(kind: "Rollout", apiVersion: "argoproj.io/v1alpha1"))
            #expect(w.policy.strategy == .evict)
        }
    }

    @Test func aPausedRolloutIsEvictedInsteadAndSaysWhy() throws {
        let w = try #require(Assessor().assess(snapshot([rollout(paused: true)]), now: now).workloads.first)
        #expect(w.policy.strategy == .evict)
        #expect(w.policy.strategyNote?.contains("paused") == true)
        #expect(w.paused)
    }

    @Test func statusFollowsArgo() {
        #expect(RolloutStatus.of(rollout(restartAt: "2026-11-23T19:00:00Z")).isInProgress)
        let restarted = ArgoRollout.Status(restartedAt: "2026-11-23T19:00:00Z", phase: "Healthy", currentPodHash: "h1", stableRS: "h1",
                                           replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2)
        #expect(RolloutStatus.of(rollout(restartAt: "2026-11-23T19:00:00Z", status: restarted)) == .complete)
        var updating = restarted
        updating.currentPodHash = "h2"
        #expect(RolloutStatus.of(rollout(status: updating)).isInProgress)
        var short = restarted
        short.availableReplicas = 1
        #expect(RolloutStatus.of(rollout(status: short)).isInProgress)
        var degraded = restarted
        degraded.phase = "Degraded"
        degraded.message = "ProgressDeadlineExceeded"
        #expect(RolloutStatus.of(rollout(status: degraded)) == .failed("ProgressDeadlineExceeded"))
    }

    @Test func theRestartIsAMergePatchOfRestartAtWithTheRestartState() throws {
        let spec = try #require(WorkloadKindRegistry.spec(for: .argoRollout))
        #expect(spec.resource == .argoRollouts && spec.discovered)
        let restart = try #require(spec.restart)
        let patch = restart("r-1", t("2026-11-23T12:00:00Z"), t("2026-12-10T08:00:00Z"))
        #expect(patch.format == .merge)
        let document = try #require(patch.document as? RestartAtPatch)
        #expect(document.spec.restartAt == "2026-11-23T12:00:00Z")
        #expect(document.metadata.uid == "r-1")
        #expect(document.metadata.annotations["token-warden.dev/restart-for-deadline"] == "2026-12-10T08:00:00Z")
        #expect(patch.summary == "spec.restartAt=2026-11-23T12:00:00Z")
    }

    @Test func everyEntryIsWholeAndNamesItsOwnKind() {
        var kinds = Set<WorkloadKind>()
        for spec in WorkloadKindRegistry.all {
            #expect(kinds.insert(spec.kind).inserted, "\(spec.kind) registered twice")
            #expect(spec.resource.kind == spec.kind.kindName)
            #expect(spec.matches(OwnerReference(apiVersion: spec.resource.apiVersion, kind: spec.resource.kind, name: "x", uid: "u")))
            #expect(spec.kind.traits.defaultStrategy == spec.traits.defaultStrategy)
            // A kind that rolls by default has the patch that does it.
            #expect((spec.traits.defaultStrategy == .rollout) == (spec.restart != nil), "\(spec.kind)")
        }
    }
}
