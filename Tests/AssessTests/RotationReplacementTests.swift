import Assess
import KubeModel
import Plan
import Testing

/// After a key rotation, a pod created at or after the rotation instant holds a token requested
/// for it after the rotation, however soon its container started: the refresh lag concerns a
/// container restarted inside a pod that existed before. Such a replacement must count as
/// renewed, so that its own expiry is seen a year later (the digital twin found a replacement
/// our rotation restart created within the lag still "invalidated" a year on, its token expired).
@Suite struct RotationReplacementTests {
    let rotation = t("2026-11-23T18:00:00Z")
    /// Our rotation restart at 18:10; the replacement was created at 18:10:30 and started at 18:11,
    /// within the refresh lag (48 m 16 s) after the rotation.
    var annotations: [String: String] {
        ["token-warden.dev/tokens-invalid-before": rotation.rfc3339,
         PolicyAnnotation.restartedAt: "2026-11-23T18:10:00Z", PolicyAnnotation.restartForDeadline: rotation.rfc3339]
    }

    func cluster(created: String) -> Cluster {
        var c = Cluster()
        let (d, rs, owner) = Tests.deployment("web", annotations: annotations)
        c.snapshot.deployments.append(d)
        c.snapshot.replicaSets.append(rs)
        c.snapshot.namespaces.append(namespace("ns"))
        c.add(makePod(name: "web-1", namespace: "ns", containers: [TestContainer(startedAt: "2026-11-23T18:11:00Z")],
                      podStart: "2026-11-23T18:10:40Z", created: created, owner: owner))
        return c
    }

    @Test func aPodCreatedAfterTheRotationIsNotInvalidated() throws {
        let now = t("2026-11-23T19:00:00Z")
        let w = try #require(cluster(created: "2026-11-23T18:10:30Z").assess(now: now).workloads.first)
        #expect(w.classification == .ok)
        #expect(w.deadline == t("2027-11-23T17:22:44Z"))  // its own token: 18:11 − 48 m 16 s + 365 d
        #expect(w.nextTransition == t("2027-10-24T17:22:44Z"))  // at risk 30 d before; the rotation is past
    }

    @Test func itsExpiryIsRestartedForAYearLater() throws {
        let now = t("2027-10-25T03:00:00Z")
        let assessment = cluster(created: "2026-11-23T18:10:30Z").assess(now: now)
        #expect(assessment.workloads.first?.classification == .atRisk)
        let plan = Planner().plan(assessment, now: now)
        #expect(plan.restarts.map(\.workload.name) == ["web"])
        #expect(plan.restarts.first?.deadline == t("2027-11-23T17:22:44Z"))
    }

    @Test func aPodCreatedBeforeTheRotationMayHoldAnOldTokenWithinTheLag() {
        // Its container (re)started at 18:11 read the file the kubelet wrote up to the lag earlier.
        let now = t("2026-11-23T19:00:00Z")
        #expect(cluster(created: "2026-11-23T17:59:59Z").assess(now: now).workloads.first?.classification == .invalidated)
    }
}
