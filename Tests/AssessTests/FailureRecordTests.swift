import Assess
import KubeModel
import Plan
import Testing

/// The failure memory as published on the Lease: every kind of failure survives the trip, the
/// record is bounded and newest first, a value that is not a record is refused with a reason,
/// and a new leader's memory keeps whichever wait ends later.
@Suite struct FailureRecordTests {
    static let now = t("2026-11-23T19:00:00Z")
    static let web = WorkloadID(kind: .deployment, namespace: "shop", name: "web")
    static let old = WorkloadID(kind: .replicationController, namespace: "legacy", name: "old")
    static let clone = WorkloadID(kind: .custom(kind: "CloneSet", apiVersion: "apps.kruise.io/v1alpha1"), namespace: "kruise", name: "web")

    @Test func everyFailureSurvivesTheTrip() throws {
        var memory = FailureMemory(policy: BackoffPolicy(jitter: 0))
        memory.recordFailure(Self.web, .permanent, cause: "patch /apis/apps/v1/namespaces/shop/deployments/web: 403 Forbidden: no",
                             reason: "Forbidden", generation: 7, now: Self.now, jitter: 0)
        memory.recordFailure(Self.old, .transient(retryAfter: 30), cause: "eviction refused", reason: "TooManyRequests", generation: nil,
                             now: Self.now + 1, jitter: 0)
        memory.recordFailure(Self.clone, .gaveUp(deadline: Self.now + 86_400), cause: "gave up", generation: nil, now: Self.now + 2, jitter: 0)
        let text = try #require(FailureRecord.encode(memory, now: Self.now + 3))
        let decoded = try FailureRecord.decode(text)
        #expect(decoded == memory.entries)
        // Newest failure first.
        let order = ["CloneSet/kruise/web", "ReplicationController/legacy/old", "Deployment/shop/web"]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions == positions.sorted { $0! < $1! })
    }

    @Test func boundedAndOnlyWhatStillHoldsBack() throws {
        var memory = FailureMemory(policy: BackoffPolicy(jitter: 0))
        for i in 0..<(FailureRecord.maximumEntries + 20) {
            memory.recordFailure(WorkloadID(kind: .deployment, namespace: "n", name: "w\(i)"), .permanent,
                                 cause: String(repeating: "x", count: 2000), generation: 1, now: Self.now + Int64(i), jitter: 0)
        }
        let decoded = try FailureRecord.decode(try #require(FailureRecord.encode(memory, now: Self.now)))
        #expect(decoded.count == FailureRecord.maximumEntries)
        #expect(decoded[WorkloadID(kind: .deployment, namespace: "n", name: "w119")] != nil)  // the newest are kept
        #expect(decoded[WorkloadID(kind: .deployment, namespace: "n", name: "w0")] == nil)
        #expect(decoded.values.allSatisfy { $0.cause.count == FailureRecord.maximumMessageLength })
        // Nothing waits any more: no record (the annotation is removed).
        #expect(FailureRecord.encode(memory, now: Self.now + 10_000) == nil)
        #expect(FailureRecord.encode(FailureMemory(), now: Self.now) == nil)
    }

    @Test func aValueThatIsNotARecordIsRefusedWithAReason() {
        for text in ["", "{}", #"[{"workload":"web"}]"#,
                     #"[{"workload":"Deployment/shop/web","failure":"sometimes","attempts":1,"until":"2026-11-23T19:00:00Z","since":"2026-11-23T19:00:00Z","lastFailedAt":"2026-11-23T19:00:00Z","message":""}]"#,
                     #"[{"workload":"Deployment/shop/web","failure":"permanent","attempts":1,"until":"soon","since":"2026-11-23T19:00:00Z","lastFailedAt":"2026-11-23T19:00:00Z","message":""}]"#] {
            #expect(throws: FailureRecord.DecodeError.self, "\(text)") { try FailureRecord.decode(text) }
        }
    }

    @Test func seedingKeepsTheLaterWait() {
        var mine = FailureMemory(policy: BackoffPolicy(jitter: 0))
        mine.recordFailure(Self.web, .transient(retryAfter: nil), cause: "mine", generation: nil, now: Self.now, jitter: 0)  // until now + 5
        var theirs = FailureMemory(policy: BackoffPolicy(jitter: 0))
        theirs.recordFailure(Self.web, .permanent, cause: "theirs", generation: nil, now: Self.now, jitter: 0)  // until now + 600
        theirs.recordFailure(Self.old, .transient(retryAfter: nil), cause: "old", generation: nil, now: Self.now - 100, jitter: 0)
        var seeded = mine
        seeded.seed(theirs.entries)
        #expect(seeded.entries[Self.web]?.cause == "theirs")
        #expect(seeded.entries[Self.old]?.cause == "old")
        theirs.seed(mine.entries)
        #expect(theirs.entries[Self.web]?.cause == "theirs")
        #expect(seeded.blockedUntil(Self.web, now: Self.now + 100, generation: nil) == Self.now + 600)
    }
}
