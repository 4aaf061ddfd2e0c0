import Assess
import KubeModel
import Plan
import Testing

/// One failure memory for every write: growing, jittered, capped waits; Retry-After honoured;
/// permanent refusals wait long or until the workload changes; give-ups wait longer the further
/// the deadline; and the planner defers a workload in backoff (cause `backoff`, `until`).
@Suite struct FailureMemoryTests {
    static let now = t("2026-11-23T19:00:00Z")
    static let web = WorkloadID(kind: .deployment, namespace: "a", name: "web")

    @Test func transientFailuresGrowAndAreCapped() {
        var memory = FailureMemory(policy: BackoffPolicy(initial: 5, maximum: 600, jitter: 0))
        var waits: [Int64] = []
        var clock = Self.now
        for _ in 0..<10 {
            let entry = memory.recordFailure(Self.web, .transient(retryAfter: nil), cause: "429", generation: 1, now: clock, jitter: 0)
            waits.append(entry.until - clock)
            clock = entry.until
        }
        #expect(waits == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600])
        #expect(memory.entries[Self.web]?.since == Self.now)  // one run of failures
        memory.recordSuccess(Self.web)
        #expect(memory.entries[Self.web] == nil)
        #expect(memory.recordFailure(Self.web, .transient(retryAfter: nil), cause: "", generation: 1, now: clock, jitter: 0).until == clock + 5)
    }

    @Test func retryAfterIsHonouredAndJitterOnlyLengthens() {
        var memory = FailureMemory(policy: BackoffPolicy(initial: 5, maximum: 600, jitter: 0.2))
        let entry = memory.recordFailure(Self.web, .transient(retryAfter: 42), cause: "", generation: nil, now: Self.now, jitter: 0)
        #expect(entry.until == Self.now + 42)
        var other = FailureMemory(policy: BackoffPolicy(initial: 100, maximum: 600, jitter: 0.2))
        let spread = other.recordFailure(Self.web, .transient(retryAfter: nil), cause: "", generation: nil, now: Self.now, jitter: 0.99)
        #expect(spread.until - Self.now >= 100 && spread.until - Self.now <= 120)
    }

    @Test func permanentRefusalsWaitLongOrUntilTheWorkloadChanges() {
        var memory = FailureMemory()  // 10 min
        memory.recordFailure(Self.web, .permanent, cause: "403 Forbidden", generation: 3, now: Self.now, jitter: 0)
        #expect(memory.blockedUntil(Self.web, now: Self.now + 599, generation: 3) == Self.now + 600)
        #expect(memory.blockedUntil(Self.web, now: Self.now + 600, generation: 3) == nil)
        #expect(memory.blockedUntil(Self.web, now: Self.now + 10, generation: 4) == nil)  // edited: try again
        // Always refused: 6 requests an hour at most (the budget is 20).
        var tries = 0
        var clock = Self.now
        while clock < Self.now + 3600 {
            if memory.blockedUntil(Self.web, now: clock, generation: 3) == nil {
                tries += 1
                memory.recordFailure(Self.web, .permanent, cause: "403", generation: 3, now: clock, jitter: 0.5)
            }
            clock = clock + 1
        }
        #expect(tries <= 6)
    }

    @Test func aGiveUpWaitsLongerTheFurtherTheDeadline() {
        var memory = FailureMemory()  // 10 min … 6 h, a quarter of the time left
        let far = memory.recordFailure(Self.web, .gaveUp(deadline: Self.now + 22 * 3600), cause: "", generation: nil, now: Self.now, jitter: 0)
        #expect(far.until == Self.now + 5 * 3600 + 1800)
        let near = memory.recordFailure(Self.web, .gaveUp(deadline: Self.now + 3600), cause: "", generation: nil, now: Self.now, jitter: 0)
        #expect(near.until == Self.now + 900)
        let passed = memory.recordFailure(Self.web, .gaveUp(deadline: Self.now - 60), cause: "", generation: nil, now: Self.now, jitter: 0)
        #expect(passed.until == Self.now + 600)
        let distant = memory.recordFailure(Self.web, .gaveUp(deadline: Self.now + 30 * 86_400), cause: "", generation: nil, now: Self.now, jitter: 0)
        #expect(distant.until == Self.now + 6 * 3600)
    }

    @Test func thePlannerDefersAWorkloadInBackoffAndFreesNoSlotForIt() throws {
        var cluster = Cluster()
        cluster.deployment("web", ns: "a", start: "2025-12-01T00:00:00Z")
        cluster.deployment("api", ns: "b", start: "2025-12-03T00:00:00Z")
        let assessment = cluster.assess(now: Self.now)
        let until = Self.now + 300
        let plan = Planner(config: PlannerConfig()).plan(assessment, now: Self.now, backingOff: [Self.web: until])
        #expect(plan.decisions.first { $0.workload == Self.web }?.action == .deferred(.backoff, until: until))
        // web does not take the single slot: api starts.
        #expect(plan.decisions.first { $0.workload.name == "api" }?.action == .restart(.rollout, resume: false))
        #expect(plan.requeueAt <= until)
        #expect(plan.decisions.first { $0.workload == Self.web }?.message.contains("backoff") == true)
    }
}
