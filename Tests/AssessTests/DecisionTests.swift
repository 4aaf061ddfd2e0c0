import Assess
import KubeModel
import Plan
import Testing

/// A decision's sentence is written when it is read; it compares, hashes and can be replaced as
/// a stored one.
@Suite struct DecisionTests {
    let now = t("2026-11-23T19:00:00Z")

    func decision() throws -> Decision {
        var c = Cluster()
        c.deployment("web", start: "2025-12-01T00:00:00Z", annotations: ["token-warden.dev/maintenance-window": "Sat 02:00-03:00 UTC"])
        return try #require(Planner().plan(c.assess(now: now), now: now).decisions.first)
    }

    @Test func aWrittenSentenceEqualsTheSameSentenceStored() throws {
        let planned = try decision()
        #expect(planned.message.hasPrefix("restart deferred until 2026-11-28T02:00:00Z: outside maintenance window \"Sat 02:00-03:00 UTC\""))
        let stored = Decision(workload: planned.workload, ref: planned.ref, action: planned.action, classification: planned.classification,
                              deadline: planned.deadline, confirmedStale: planned.confirmedStale, pods: planned.pods,
                              message: planned.message, early: planned.early)
        #expect(stored == planned)
        #expect(Set([stored, planned]).count == 1)
    }

    @Test func aReplacedSentenceIsTheOneRead() throws {
        let planned = try decision()
        var replaced = planned
        replaced.message = "restart deferred (backoff after 2 failed attempt(s)): forbidden"
        #expect(replaced.message == "restart deferred (backoff after 2 failed attempt(s)): forbidden")
        #expect(replaced != planned)
        // Changing what the sentence is written from changes the sentence, as it would have been planned.
        var other = planned
        other.action = .deferred(.clusterLimit, until: nil)
        #expect(other.message.hasPrefix("restart deferred: cluster-wide limit of concurrent restarts reached"))
    }
}
