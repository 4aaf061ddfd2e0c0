import Assess
import KubeModel
import Testing

@Suite struct PolicyResolutionTests {
    let now = t("2026-11-23T19:00:00Z")

    func assess(deploymentAnnotations: [String: String]? = nil, namespaceAnnotations: [String: String]? = nil,
                defaults: PolicyDefaults = PolicyDefaults(), paused: Bool = false) -> (WorkloadAssessment, Assessment) {
        let (d, rs, owner) = deployment("web", annotations: deploymentAnnotations, paused: paused)
        let snapshot = ClusterSnapshot(pods: [makePod(name: "web-1", owner: owner)], namespaces: [namespace(annotations: namespaceAnnotations)],
                                       replicaSets: [rs], deployments: [d])
        let assessment = Assessor(defaults: defaults).assess(snapshot, now: now)
        return (assessment.workloads[0], assessment)
    }

    @Test func defaultsApply() {
        let (w, a) = assess()
        #expect(w.policy.mode == .restart)
        #expect(w.policy.tokenLifetime == .extended(seconds: 365 * day))
        #expect(w.policy.restartBefore == 30 * day)
        #expect(w.policy.strategy == .rollout)
        #expect(w.policy.maintenanceWindow == nil)
        #expect(w.policy.origins[.tokenLifetime] == .defaults)
        #expect(a.diagnostics.isEmpty)
    }

    @Test func workloadOverridesNamespaceOverridesDefaults() {
        let (w, _) = assess(
            deploymentAnnotations: ["token-warden.dev/restart-before": "60d"],
            namespaceAnnotations: ["token-warden.dev/restart-before": "10d", "token-warden.dev/token-lifetime": "90d",
                                   "token-warden.dev/maintenance-window": "Sat 01:00-03:00 Europe/Berlin"])
        #expect(w.policy.restartBefore == 60 * day)
        #expect(w.policy.origins[.restartBefore] == .workload)
        #expect(w.policy.tokenLifetime == .extended(seconds: 90 * day))
        #expect(w.policy.origins[.tokenLifetime] == .namespace)
        #expect(w.policy.maintenanceWindow?.spec == "Sat 01:00-03:00 Europe/Berlin")
        // 90 d lifetime: 2026-01-01 start → deadline 2026-03-31T23:11:44Z, long expired.
        #expect(w.deadline == t("2026-03-31T23:11:44Z"))
        #expect(w.classification == .expired)
    }

    @Test func invalidWorkloadValueFallsBackToNamespaceWithDiagnostic() {
        let (w, a) = assess(deploymentAnnotations: ["token-warden.dev/restart-before": "thirty days"],
                            namespaceAnnotations: ["token-warden.dev/restart-before": "10d"])
        #expect(w.policy.restartBefore == 10 * day)
        #expect(w.policy.origins[.restartBefore] == .namespace)
        #expect(a.diagnostics.count == 1)
        let d = a.diagnostics[0]
        #expect(d.object == ObjectRef(kind: "Deployment", namespace: "ns", name: "web", uid: "uid-Deployment-web"))
        #expect(d.annotation == "token-warden.dev/restart-before")
        #expect(d.value == "thirty days")
        #expect(d.description.hasPrefix("invalid token-warden.dev/restart-before=\"thirty days\" on Deployment ns/web: "))
    }

    @Test func invalidValuesAtBothLevelsFallBackToDefaults() {
        let bad = [
            "token-warden.dev/mode": "yolo", "token-warden.dev/token-lifetime": "-1d",
            "token-warden.dev/restart-before": "0s", "token-warden.dev/tokens-invalid-before": "yesterday",
            "token-warden.dev/maintenance-window": "Mon-Fri 02:00-05:00 Mars/Olympus", "token-warden.dev/strategy": "reboot",
        ]
        let (w, a) = assess(deploymentAnnotations: bad, namespaceAnnotations: bad)
        #expect(w.policy.mode == .restart)
        #expect(w.policy.tokenLifetime == .upstreamDefault)
        #expect(w.policy.restartBefore == 30 * day)
        #expect(w.policy.tokensInvalidBefore == nil)
        #expect(w.policy.maintenanceWindow == nil)
        #expect(w.policy.strategy == .rollout)
        #expect(a.diagnostics.count == 12)
        #expect(Set(a.diagnostics.map(\.object.kind)) == ["Deployment", "Namespace"])
        #expect(a.diagnostics.first { $0.annotation == "token-warden.dev/token-lifetime" }?.problem == "must not be negative")
    }

    /// restart-on: workload → Namespace → flag; an unknown value is a diagnostic and falls through.
    /// The pod (2026-01-01 start, deadline 2026-12-31) is at risk on 2026-12-10.
    @Test func restartOnEvidenceLeavesAnUnconfirmedWorkloadRunning() {
        let late = t("2026-12-10T00:00:00Z")
        func assessed(_ workload: [String: String]?, _ nsAnnotations: [String: String]?, defaults: PolicyDefaults = PolicyDefaults()) -> WorkloadAssessment {
            let (d, rs, owner) = deployment("web", annotations: workload)
            let snapshot = ClusterSnapshot(pods: [makePod(name: "web-1", owner: owner)], namespaces: [namespace(annotations: nsAnnotations)],
                                           replicaSets: [rs], deployments: [d])
            return Assessor(defaults: defaults).assess(snapshot, now: late).workloads[0]
        }
        #expect(assessed(nil, nil).classification == .atRisk)
        let unconfirmed = assessed(nil, ["token-warden.dev/restart-on": "evidence"])
        #expect(unconfirmed.classification == .unconfirmed)
        #expect(!unconfirmed.classification.needsRestart)
        #expect(unconfirmed.policy.origins[.restartOn] == .namespace)
        #expect(unconfirmed.deadline == t("2026-12-31T23:11:44Z"), "the estimate's deadline is still shown")
        #expect(unconfirmed.pods[0].reason.contains("no audit evidence"))
        #expect(assessed(["token-warden.dev/restart-on": "estimate"], ["token-warden.dev/restart-on": "evidence"]).classification == .atRisk)
        #expect(assessed(nil, nil, defaults: PolicyDefaults(restartOn: .evidence)).classification == .unconfirmed)
        let bad = assessed(["token-warden.dev/restart-on": "proof"], nil, defaults: PolicyDefaults(restartOn: .evidence))
        #expect(bad.classification == .unconfirmed)
        #expect(bad.diagnostics.map(\.annotation) == ["token-warden.dev/restart-on"])
        // A rotated signing key restarts regardless of evidence.
        let rotated = assessed(nil, nil, defaults: PolicyDefaults(tokensInvalidBefore: t("2026-06-01T00:00:00Z"), restartOn: .evidence))
        #expect(rotated.classification == .invalidated)
    }

    @Test func modeIgnoreTakesTheWorkloadOutOfScope() {
        let (w, _) = assess(namespaceAnnotations: ["token-warden.dev/mode": "ignore"])
        #expect(w.classification == .outOfScope)
        #expect(w.reason.contains("ignore"))
        #expect(w.strategy == .warnOnly)
    }

    @Test func modeReportKeepsTheClassification() {
        let (w, _) = assess(deploymentAnnotations: ["token-warden.dev/mode": "report"], defaults: PolicyDefaults(tokenLifetime: .extended(seconds: 90 * day)))
        #expect(w.policy.mode == .report)
        #expect(w.classification == .expired)
    }

    @Test func pausedDeploymentIsEvictedInstead() {
        let (w, _) = assess(paused: true)
        #expect(w.strategy == .evict)
        #expect(w.policy.strategyNote?.contains("paused") == true)
        #expect(w.paused)
    }

    @Test func pausedDeploymentWithExplicitRolloutIsWarnOnly() {
        let (w, _) = assess(deploymentAnnotations: ["token-warden.dev/strategy": "rollout"], paused: true)
        #expect(w.strategy == .warnOnly)
    }

    @Test func strategyNotPossibleForTheKind() {
        let (w, a) = assess(deploymentAnnotations: ["token-warden.dev/strategy": "recreate"], namespaceAnnotations: ["token-warden.dev/strategy": "evict"])
        #expect(w.strategy == .evict)
        #expect(w.policy.origins[.strategy] == .namespace)
        #expect(a.diagnostics.map(\.problem) == ["not possible for a Deployment (allowed: evict, rollout)"])
    }

    @Test func namespaceStrategyThatDoesNotFitIsSkippedSilently() {
        let (w, a) = assess(namespaceAnnotations: ["token-warden.dev/strategy": "recreate"])
        #expect(w.strategy == .rollout)
        #expect(a.diagnostics.isEmpty)
    }

    @Test func tokensInvalidBeforeFromNamespace() {
        let (w, _) = assess(namespaceAnnotations: ["token-warden.dev/tokens-invalid-before": "2026-11-01T00:00:00Z"])
        #expect(w.classification == .invalidated)
        #expect(w.deadline == t("2026-11-01T00:00:00Z"))
        #expect(w.restartDue == t("2026-11-01T00:00:00Z"))
    }

    @Test func restartStateIsRead() {
        let (w, _) = assess(deploymentAnnotations: [PolicyAnnotation.restartedAt: "2026-11-20T10:00:00Z",
                                                    PolicyAnnotation.restartForDeadline: "2026-12-31T23:11:44Z"])
        #expect(w.restartState == RestartState(restartedAt: t("2026-11-20T10:00:00Z"), restartForDeadline: t("2026-12-31T23:11:44Z")))
        #expect(RestartState.annotations(restartedAt: t("2026-11-20T10:00:00Z"), forDeadline: t("2026-12-31T23:11:44Z")) == [
            "token-warden.dev/restarted-at": "2026-11-20T10:00:00Z", "token-warden.dev/restart-for-deadline": "2026-12-31T23:11:44Z",
        ])
    }

    @Test func malformedRestartStateIsReported() {
        let (w, a) = assess(deploymentAnnotations: [PolicyAnnotation.restartedAt: "soon"])
        #expect(w.restartState.restartedAt == nil)
        #expect(a.diagnostics.map(\.annotation) == ["token-warden.dev/restarted-at"])
    }
}
