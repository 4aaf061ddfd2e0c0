import KubeModel
import Testing
@testable import Assess

/// A memoised pass must give exactly what a fresh pass gives, whatever changed in between.
@Suite struct AssessmentMemoTests {
    static let day: Int64 = 86_400
    let start = Timestamp(seconds: 1_790_000_000)

    /// Three Deployments with two pods each in namespace "ns"; the pods of "old" started 340 days ago.
    func cluster() -> (snapshot: ClusterSnapshot, builder: PodRecordBuilder) {
        var deployments: [Deployment] = []
        var replicaSets: [ReplicaSet] = []
        var pods: [Pod] = []
        for (name, age) in [("old", 340 * Self.day), ("young", 10 * Self.day), ("mid", 200 * Self.day)] {
            let (d, rs, owner) = deployment(name, replicas: 2)
            deployments.append(d)
            replicaSets.append(rs)
            let started = Timestamp(seconds: start.seconds - age).rfc3339
            for index in 0..<2 {
                pods.append(makePod(name: "\(name)-\(index)", uid: "uid-\(name)-\(index)",
                                    containers: [TestContainer(startedAt: started)], owner: owner))
            }
        }
        let builder = PodRecordBuilder()
        let snapshot = ClusterSnapshot(
            podRecords: builder.records(pods), namespaces: [namespace()], replicaSets: replicaSets, deployments: deployments)
        return (snapshot, builder)
    }

    func expectSame(_ snapshot: ClusterSnapshot, now: Timestamp, memo: AssessmentMemo, evidence: [String: TokenEvidence] = [:]) {
        let remembered = Assessor().assess(snapshot, now: now, evidence: evidence, memo: memo)
        let fresh = Assessor().assess(snapshot, now: now, evidence: evidence)
        #expect(remembered == fresh)
    }

    /// Pod assessments keep the cached record instead of copies of its facts: they still compare
    /// by those facts, and order by (deadline, name) as the names themselves would.
    @Test func podAssessmentsCompareAndOrderByThePodsFacts() {
        let (snapshot, _) = cluster()
        let (again, _) = cluster()  // the same pods as other record objects
        let first = Assessor().assess(snapshot, now: start), second = Assessor().assess(again, now: start)
        #expect(first == second)
        let pods = first.workloads.flatMap(\.pods)
        #expect(pods.count == 6 && Set(pods).count == 6)
        for a in pods {
            for b in pods {
                let expected = (a.deadline ?? Timestamp(seconds: .max), a.ref.name) < (b.deadline ?? Timestamp(seconds: .max), b.ref.name)
                #expect(PodAssessment.urgencyOrder(a, b) == expected, "\(a.name) vs \(b.name)")
            }
        }
        #expect(pods.map(\.ref.uid) .allSatisfy { $0?.hasPrefix("uid-") == true })
    }

    @Test func unchangedCacheIsReusedAndEqual() {
        let (snapshot, _) = cluster()
        let memo = AssessmentMemo()
        expectSame(snapshot, now: start, memo: memo)
        #expect(memo.lastHits == 0)
        expectSame(snapshot, now: start + 60, memo: memo)
        #expect(memo.lastHits == 3)
    }

    @Test func theClockPassingATransitionReassesses() {
        let (snapshot, _) = cluster()
        let memo = AssessmentMemo()
        expectSame(snapshot, now: start, memo: memo)
        // "mid" turns at-risk, "old" expires: each crosses its next transition.
        for days in [1, 30, 140, 170, 200] as [Int64] { expectSame(snapshot, now: start + days * Self.day, memo: memo) }
        expectSame(snapshot, now: start, memo: memo)  // a clock stepping back is never served from the memo
    }

    @Test func changedPodsOwnersNamespacesAndEvidenceReassess() {
        var (snapshot, builder) = cluster()
        let memo = AssessmentMemo()
        expectSame(snapshot, now: start, memo: memo)

        // A new version of one pod (its container restarted just now).
        let first = snapshot.pods[0]
        snapshot.pods[0] = builder.record(makePod(name: first.name, uid: first.uid?.description,
                                                  containers: [TestContainer(startedAt: start.rfc3339)], owner: first.owner?.reference))
        expectSame(snapshot, now: start + 1, memo: memo)
        #expect(memo.lastHits == 2)

        snapshot.deployments[1].metadata.annotations = ["token-warden.dev/restart-before": "400d"]
        expectSame(snapshot, now: start + 2, memo: memo)
        snapshot.namespaces[0].metadata.annotations = ["token-warden.dev/mode": "report"]
        expectSame(snapshot, now: start + 3, memo: memo)
        #expect(memo.lastHits == 0)
        snapshot.pods.removeLast()
        expectSame(snapshot, now: start + 4, memo: memo)
        let uid = snapshot.pods[1].uid!.description
        expectSame(snapshot, now: start + 5, memo: memo, evidence: [uid: TokenEvidence(
            source: .webhook, firstSeen: start, lastSeen: start, serviceAccount: "default", tokenIssuedAt: start - 400 * Self.day)])
        expectSame(snapshot, now: start + 6, memo: memo)
    }
}
