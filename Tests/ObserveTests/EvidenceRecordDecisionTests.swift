import Assess
import KubeModel
@testable import Evidence
import Testing

/// What `audit --record` writes for one pod's evidence, given the pod the cluster has now.
@Suite struct EvidenceRecordDecisionTests {
    static func evidence(pod: String? = "web-0", uid: String? = "uid-a", n: Int64 = 393, lastSeen: String? = "2026-11-30T11:00:00Z") -> PodStaleTokenEvidence {
        PodStaleTokenEvidence(
            namespace: "shop", pod: pod, podUID: uid, serviceAccount: "web", maxSecondsAfterWarning: n,
            tokenAgeSeconds: n + 3607, requests: 2, firstSeen: Timestamp(rfc3339: "2026-11-30T10:00:00Z"),
            lastSeen: lastSeen.flatMap { Timestamp(rfc3339: $0) }, workload: nil)
    }

    @Test func writesIssueAndSeenTimesOnTheSamePod() {
        let decision = EvidenceRecordDecision.decide(Self.evidence(), found: .init(uid: "uid-a", annotations: [:]))
        // seen − (393 + 3607) s = seen − 4000 s.
        #expect(decision == .write(annotations: [
            PolicyAnnotation.staleTokenIssuedAt: "2026-11-30T09:53:20Z", PolicyAnnotation.staleTokenSeenAt: "2026-11-30T11:00:00Z",
        ]))
    }

    @Test func skipsWhatItMustNotWrite() {
        #expect(EvidenceRecordDecision.decide(Self.evidence(), found: nil) == .skip(.podGone))
        #expect(EvidenceRecordDecision.decide(Self.evidence(), found: .init(uid: "uid-b", annotations: [:])) == .skip(.uidChanged(current: "uid-b")))
        #expect(EvidenceRecordDecision.decide(Self.evidence(pod: nil, uid: nil), found: nil) == .skip(.noPod))
        #expect(EvidenceRecordDecision.decide(Self.evidence(lastSeen: nil), found: .init(uid: "uid-a", annotations: [:])) == .skip(.noTime))
        let newer = EvidenceRecordDecision.FoundPod(uid: "uid-a", annotations: [PolicyAnnotation.staleTokenSeenAt: "2026-11-30T11:00:00Z"])
        #expect(EvidenceRecordDecision.decide(Self.evidence(), found: newer) == .skip(.alreadyRecorded(seenAt: "2026-11-30T11:00:00Z")))
        // Older evidence on the pod is replaced by the newer.
        let older = EvidenceRecordDecision.FoundPod(uid: "uid-a", annotations: [PolicyAnnotation.staleTokenSeenAt: "2026-11-29T00:00:00Z"])
        #expect(EvidenceRecordDecision.decide(Self.evidence(), found: older) != .skip(.alreadyRecorded(seenAt: "2026-11-29T00:00:00Z")))
    }
}
