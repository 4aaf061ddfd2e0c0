import Assess
import KubeModel
import Testing

/// One pod, one expected verdict: the token-age model to the second.
struct TokenAgeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var pod: Pod
    var now = t("2026-11-23T19:00:00Z")
    var defaults = PolicyDefaults()
    var evidence: [String: TokenEvidence] = [:]
    var classification: Classification
    var deadline: String?
    var restartDue: String?
    var issued: String?
    var nextTransition: String?
    var reasonContains: String?

    var testDescription: String { name }
}

// S = 2026-01-01T00:00:00Z (default container start); 3607-token lag 2,896 s → issued ≥ 2025-12-31T23:11:44Z;
// + 365 d → deadline 2026-12-31T23:11:44Z; − 30 d → restart due 2026-12-01T23:11:44Z.
let tokenAgeCases: [TokenAgeCase] = [
    TokenAgeCase(name: "baseline 3607 token, 365d, ok", pod: makePod(), classification: .ok,
                 deadline: "2026-12-31T23:11:44Z", restartDue: "2026-12-01T23:11:44Z", issued: "2025-12-31T23:11:44Z",
                 nextTransition: "2026-12-01T23:11:44Z"),
    TokenAgeCase(name: "exactly at restart-before is at risk", pod: makePod(), now: t("2026-12-01T23:11:44Z"),
                 classification: .atRisk, deadline: "2026-12-31T23:11:44Z", restartDue: "2026-12-01T23:11:44Z",
                 nextTransition: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "one second before restart-before is ok", pod: makePod(), now: t("2026-12-01T23:11:43Z"),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z", nextTransition: "2026-12-01T23:11:44Z"),
    TokenAgeCase(name: "exactly at expiry is expired", pod: makePod(), now: t("2026-12-31T23:11:44Z"),
                 classification: .expired, deadline: "2026-12-31T23:11:44Z", reasonContains: "expired 2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "one second before expiry is at risk", pod: makePod(), now: t("2026-12-31T23:11:43Z"),
                 classification: .atRisk, deadline: "2026-12-31T23:11:44Z", nextTransition: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "missing startedAt falls back to pod startTime",
                 pod: makePod(containers: [TestContainer(startedAt: nil)]),
                 classification: .ok, deadline: "2026-12-31T23:10:44Z", issued: "2025-12-31T23:10:44Z"),
    TokenAgeCase(name: "missing startedAt and startTime falls back to creationTimestamp",
                 pod: makePod(containers: [TestContainer(startedAt: nil)], podStart: nil),
                 classification: .ok, deadline: "2026-12-31T23:09:44Z", issued: "2025-12-31T23:09:44Z"),
    TokenAgeCase(name: "restarted container: the current startedAt counts",
                 pod: makePod(containers: [TestContainer(startedAt: "2026-06-01T00:00:00Z", restartCount: 4)]),
                 classification: .ok, deadline: "2027-05-31T23:11:44Z", issued: "2026-05-31T23:11:44Z"),
    TokenAgeCase(name: "expirationSeconds 7200 is never extended: unprotectable",
                 pod: makePod(volume: .apiProjected(expirationSeconds: 7200)),
                 classification: .unprotectable, deadline: "2026-01-01T00:23:50Z", issued: "2025-12-31T22:23:50Z",
                 reasonContains: "lives 2h"),
    TokenAgeCase(name: "absent expirationSeconds means 3600: unprotectable",
                 pod: makePod(volume: .apiProjected(expirationSeconds: nil)),
                 classification: .unprotectable, deadline: "2026-01-01T00:11:50Z"),
    TokenAgeCase(name: "7d token with restart-before 1d: lag capped at 24h + 10s",
                 pod: makePod(volume: .apiProjected(expirationSeconds: 7 * day)), now: t("2026-01-06T00:00:00Z"),
                 defaults: PolicyDefaults(restartBefore: day),
                 classification: .atRisk, deadline: "2026-01-06T23:59:50Z", restartDue: "2026-01-05T23:59:50Z",
                 issued: "2025-12-30T23:59:50Z"),
    TokenAgeCase(name: "token-lifetime none: unprotectable an hour after issue",
                 pod: makePod(), defaults: PolicyDefaults(tokenLifetime: TokenLifetime.none),
                 classification: .unprotectable, deadline: "2026-01-01T00:11:51Z", reasonContains: "token-lifetime: none"),
    TokenAgeCase(name: "90d lifetime (EKS)", pod: makePod(), defaults: PolicyDefaults(tokenLifetime: .extended(seconds: 90 * day)),
                 classification: .expired, deadline: "2026-03-31T23:11:44Z"),
    TokenAgeCase(name: "legacy token Secret never expires", pod: makePod(volume: .legacySecret()),
                 classification: .ok, deadline: nil, restartDue: nil, issued: nil, nextTransition: nil,
                 reasonContains: "never expires"),
    TokenAgeCase(name: "Secret mounted elsewhere is not a token", pod: makePod(volume: .legacySecret(mountPath: "/etc/creds")),
                 classification: .outOfScope),
    TokenAgeCase(name: "projected token for another audience does not count",
                 pod: makePod(volume: .apiProjected(expirationSeconds: 3607, audience: "vault")), classification: .outOfScope),
    TokenAgeCase(name: "projected token for the API server's explicit audience counts",
                 pod: makePod(volume: .apiProjected(expirationSeconds: 3607, audience: "https://kubernetes.default.svc")),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "automountServiceAccountToken false and no token volume",
                 pod: makePod(volume: .none, automount: false), classification: .outOfScope, reasonContains: "automountServiceAccountToken"),
    TokenAgeCase(name: "container without the mount", pod: makePod(containers: [TestContainer(mounts: false)]),
                 classification: .outOfScope, reasonContains: "no running container"),
    TokenAgeCase(name: "pending pod", pod: makePod(phase: "Pending"), classification: .outOfScope, reasonContains: "Pending"),
    TokenAgeCase(name: "succeeded pod", pod: makePod(phase: "Succeeded"), classification: .outOfScope),
    TokenAgeCase(name: "mirror pod", pod: makePod(owner: ownerRef("Node", "node-1", apiVersion: "v1"), annotations: [Pod.mirrorAnnotation: "abc"]),
                 classification: .outOfScope, reasonContains: "mirror"),
    TokenAgeCase(name: "terminating pod", pod: makePod(deleting: true), classification: .outOfScope, reasonContains: "terminating"),
    TokenAgeCase(name: "container not running", pod: makePod(containers: [TestContainer(running: false)]), classification: .outOfScope),
    TokenAgeCase(name: "only the mounting container counts",
                 pod: makePod(containers: [TestContainer(name: "a", startedAt: "2025-01-01T00:00:00Z", mounts: false), TestContainer(name: "b")]),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z"),
    // Key rotation T: invalidated when start < T + lag.
    TokenAgeCase(name: "start exactly at tokens-invalid-before is invalidated", pod: makePod(),
                 defaults: PolicyDefaults(tokensInvalidBefore: t("2026-01-01T00:00:00Z")),
                 classification: .invalidated, deadline: "2026-01-01T00:00:00Z", restartDue: "2026-01-01T00:00:00Z"),
    TokenAgeCase(name: "start one second before T + lag is invalidated", pod: makePod(created: "2025-12-31T23:00:00Z"),
                 defaults: PolicyDefaults(tokensInvalidBefore: t("2025-12-31T23:11:45Z")),
                 classification: .invalidated, deadline: "2025-12-31T23:11:45Z"),
    TokenAgeCase(name: "start exactly at T + lag is not invalidated", pod: makePod(),
                 defaults: PolicyDefaults(tokensInvalidBefore: t("2025-12-31T23:11:44Z")),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "tokens-invalid-before in the future is not yet in effect", pod: makePod(),
                 defaults: PolicyDefaults(tokensInvalidBefore: t("2026-12-01T00:00:00Z")),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z", nextTransition: "2026-12-01T00:00:00Z"),
    TokenAgeCase(name: "legacy Secret token started before the rotation", pod: makePod(volume: .legacySecret()),
                 defaults: PolicyDefaults(tokensInvalidBefore: t("2026-01-01T00:00:01Z")),
                 classification: .invalidated, deadline: "2026-01-01T00:00:01Z", reasonContains: "re-issued"),
    TokenAgeCase(name: "running sidecar init container started earlier decides",
                 pod: makePod(initContainers: [(TestContainer(name: "proxy", startedAt: "2025-12-31T23:59:30Z"), restartPolicy: "Always")]),
                 classification: .ok, deadline: "2026-12-31T23:11:14Z"),
    TokenAgeCase(name: "finished init container is ignored",
                 pod: makePod(initContainers: [(TestContainer(name: "init", startedAt: "2025-01-01T00:00:00Z", running: false), restartPolicy: nil)]),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "running ephemeral container holding the token",
                 pod: makePod(containers: [TestContainer(mounts: false)], ephemeral: [TestContainer(name: "debug", startedAt: "2026-06-01T00:00:00Z")]),
                 classification: .ok, deadline: "2027-05-31T23:11:44Z"),
    TokenAgeCase(name: "confirmed stale outranks at risk", pod: makePod(uid: "stale-1"), now: t("2026-12-10T00:00:00Z"),
                 evidence: tokenEvidence("stale-1", issued: "2025-12-31T23:11:44Z"), classification: .confirmedStale, deadline: "2026-12-31T23:11:44Z",
                 reasonContains: "audit"),
    TokenAgeCase(name: "evidence of an older token replaces a young-looking estimate",
                 pod: makePod(uid: "stale-3", containers: [TestContainer(startedAt: "2026-11-13T00:00:00Z")]),
                 evidence: tokenEvidence("stale-3", issued: "2025-12-08T00:00:00Z"), classification: .confirmedStale,
                 deadline: "2026-12-08T00:00:00Z", issued: "2025-12-08T00:00:00Z"),
    TokenAgeCase(name: "evidence seen before the container (re)started is about an earlier process",
                 pod: makePod(uid: "stale-5", containers: [TestContainer(startedAt: "2026-11-21T00:00:00Z")]),
                 evidence: tokenEvidence("stale-5", issued: "2025-12-08T00:00:00Z", seen: "2026-11-20T00:00:00Z"),
                 classification: .ok, deadline: "2027-11-20T23:11:44Z"),
    TokenAgeCase(name: "evidence of a newer token than the estimate changes nothing",
                 pod: makePod(uid: "stale-4"), evidence: tokenEvidence("stale-4", issued: "2026-06-01T00:00:00Z"),
                 classification: .ok, deadline: "2026-12-31T23:11:44Z"),
    TokenAgeCase(name: "restart-on evidence: the evidence's issue time is the deadline even when the estimate is older",
                 pod: makePod(uid: "stale-6"), now: t("2026-12-10T00:00:00Z"),
                 defaults: PolicyDefaults(restartOn: .evidence),
                 evidence: tokenEvidence("stale-6", issued: "2026-01-05T00:00:00Z"), classification: .confirmedStale,
                 deadline: "2027-01-05T00:00:00Z"),
    TokenAgeCase(name: "restart-on evidence without evidence: unconfirmed", pod: makePod(), now: t("2026-12-10T00:00:00Z"),
                 defaults: PolicyDefaults(restartOn: .evidence), classification: .unconfirmed, deadline: "2026-12-31T23:11:44Z",
                 reasonContains: "restart-on: evidence"),
    TokenAgeCase(name: "confirmed stale pod far from its deadline stays ok", pod: makePod(uid: "stale-2"),
                 evidence: tokenEvidence("stale-2", issued: "2025-12-31T23:11:44Z"), classification: .ok, deadline: "2026-12-31T23:11:44Z"),
]

@Suite struct TokenAgeModelTests {
    @Test(arguments: tokenAgeCases)
    func verdict(_ c: TokenAgeCase) {
        let workload = assessOne(c.pod, now: c.now, defaults: c.defaults, evidence: c.evidence)
        let pod = workload.pods[0]
        #expect(pod.classification == c.classification)
        #expect(workload.classification == c.classification)
        if c.classification != .outOfScope {
            #expect(pod.deadline?.rfc3339 == c.deadline)
            #expect(workload.deadline?.rfc3339 == c.deadline)
        }
        if let due = c.restartDue { #expect(pod.restartDue?.rfc3339 == due) }
        if let issued = c.issued { #expect(pod.oldestTokenIssuedAt?.rfc3339 == issued) }
        if let next = c.nextTransition { #expect(pod.nextTransition?.rfc3339 == next) }
        if let text = c.reasonContains { #expect(pod.reason.contains(text), "\(pod.reason)") }
        if c.evidence[pod.ref.uid ?? ""] != nil, c.classification == .confirmedStale { #expect(pod.confirmedStale && workload.confirmedStale) }
    }

    /// Evidence kept on the pod by any replica counts like evidence received here; a value that
    /// does not parse is a Warning (a diagnostic on the pod) and the estimate applies.
    @Test func evidenceKeptOnThePodIsRead() {
        let young = [TestContainer(startedAt: "2026-11-13T00:00:00Z")]
        let kept = assessOne(makePod(uid: "kept", containers: young, annotations: [
            PolicyAnnotation.staleTokenIssuedAt: "2025-12-08T00:00:00Z", PolicyAnnotation.staleTokenSeenAt: "2026-11-20T00:00:00Z",
        ]), now: t("2026-11-23T19:00:00Z"))
        #expect(kept.classification == .confirmedStale)
        #expect(kept.deadline?.rfc3339 == "2026-12-08T00:00:00Z")
        #expect(kept.diagnostics.isEmpty)

        // Received here and kept on the pod: the earlier issue time wins.
        let both = assessOne(makePod(uid: "both", containers: young, annotations: [PolicyAnnotation.staleTokenIssuedAt: "2025-12-20T00:00:00Z"]),
                             now: t("2026-11-23T19:00:00Z"), evidence: tokenEvidence("both", issued: "2025-12-08T00:00:00Z"))
        #expect(both.deadline?.rfc3339 == "2026-12-08T00:00:00Z")

        let malformed = assessOne(makePod(uid: "bad", containers: young, annotations: [PolicyAnnotation.staleTokenIssuedAt: "last year"]),
                                  now: t("2026-11-23T19:00:00Z"))
        #expect(malformed.classification == .ok)
        #expect(malformed.diagnostics.map(\.annotation) == [PolicyAnnotation.staleTokenIssuedAt])
        #expect(malformed.diagnostics.first?.object.kind == "Pod")
    }

    @Test func refreshLagNumbers() {
        #expect(TokenModel.refreshLag(expirationSeconds: 3607) == 2_896)  // 48m16s
        #expect(DurationText.format(TokenModel.refreshLag(expirationSeconds: 3607)) == "48m16s")
        #expect(TokenModel.refreshLag(expirationSeconds: 3600) == 2_890)
        #expect(TokenModel.refreshLag(expirationSeconds: 86_400) == 69_130)
        #expect(TokenModel.refreshLag(expirationSeconds: 7 * day) == 86_410)
    }

    @Test func containerDetailsOfTheBaseline() {
        let workload = assessOne(makePod(), now: t("2026-11-23T19:00:00Z"))
        let container = workload.pods[0].assessContainers()[0]
        #expect(container.name == "app")
        #expect(container.role == .regular)
        #expect(container.source == .projected(volume: "token", expirationSeconds: 3607))
        #expect(container.startSource == .containerStartedAt)
        #expect(container.refreshLag == 2_896)
        #expect(container.lifetime == 31_536_000)
        #expect(container.expiresAt == t("2026-12-31T23:11:44Z"))
    }
}
