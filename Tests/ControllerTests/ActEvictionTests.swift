import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Plan
import Testing

@Suite("Act: eviction one pod at a time")
struct ActEvictionTests {
    static let rcOwner = ActFixtures.Owner(apiVersion: "v1", kind: "ReplicationController", name: "legacy", uid: "rc-1")
    static let restartedAt = ActFixtures.now

    static func pod(_ name: String, started: String, ready: Bool = true, terminating: Bool = false) throws -> Pod {
        var pod = try ActFixtures.decode(Pod.self, Array(ActFixtures.pod(name, uid: "uid-\(name)", started: started, ready: ready).utf8))
        if terminating { pod.metadata.deletionTimestamp = ActFixtures.now }
        return pod
    }

    // MARK: The pure choice

    @Test func evictsTheOldestOldPodWhenAllOthersAreReady() throws {
        let pods = [try Self.pod("b", started: "2026-01-02T00:00:00Z"), try Self.pod("a", started: "2026-01-01T00:00:00Z"),
                    try Self.pod("c", started: "2026-11-23T12:00:05Z")]
        let choice = EvictionSelector.next(pods: pods, restartedAt: Self.restartedAt, lastEvictedUID: nil, evictedCount: 0)
        #expect(choice == .evict(pods[1]))
    }

    @Test func waitsWhileAnotherPodIsNotReady() throws {
        let pods = [try Self.pod("a", started: "2026-01-01T00:00:00Z"), try Self.pod("new", started: "2026-11-23T12:00:05Z", ready: false)]
        guard case .wait = EvictionSelector.next(pods: pods, restartedAt: Self.restartedAt, lastEvictedUID: nil, evictedCount: 1) else {
            Issue.record("expected to wait")
            return
        }
    }

    @Test func waitsUntilTheReplacementExistsAndTheEvictedPodIsGone() throws {
        let old = [try Self.pod("b", started: "2026-01-02T00:00:00Z")]
        // "a" was evicted; its replacement has not been created yet: all remaining pods are Ready, still wait.
        guard case .wait = EvictionSelector.next(pods: old, restartedAt: Self.restartedAt, lastEvictedUID: "uid-a", evictedCount: 1) else {
            Issue.record("expected to wait for the replacement")
            return
        }
        // "a" is still terminating.
        let terminating = old + [try Self.pod("a", started: "2026-01-01T00:00:00Z", terminating: true)]
        guard case .wait = EvictionSelector.next(pods: terminating, restartedAt: Self.restartedAt, lastEvictedUID: "uid-a", evictedCount: 1) else {
            Issue.record("expected to wait for the evicted pod to go")
            return
        }
        let replaced = old + [try Self.pod("a2", started: "2026-11-23T12:00:10Z")]
        #expect(EvictionSelector.next(pods: replaced, restartedAt: Self.restartedAt, lastEvictedUID: "uid-a", evictedCount: 1) == .evict(old[0]))
    }

    @Test func doneWhenOnlyReadyReplacementsRemain() throws {
        let pods = [try Self.pod("a2", started: "2026-11-23T12:00:10Z"), try Self.pod("b2", started: "2026-11-23T12:01:10Z")]
        #expect(EvictionSelector.next(pods: pods, restartedAt: Self.restartedAt, lastEvictedUID: "uid-b", evictedCount: 2) == .done)
        let notReady = [try Self.pod("a2", started: "2026-11-23T12:00:10Z", ready: false)]
        #expect(EvictionSelector.next(pods: notReady, restartedAt: Self.restartedAt, lastEvictedUID: nil, evictedCount: 1) != .done)
    }

    // MARK: Against the simulated API server

    /// Loads an RC with `count` old pods.
    static func legacyCluster(_ sim: ActSim, count: Int) throws {
        var objects = [ActFixtures.namespace("shop"), ActFixtures.replicationController("legacy", uid: "rc-1", replicas: count)]
        for i in 0..<count {
            objects.append(ActFixtures.pod("legacy-\(i)", uid: "old-\(i)", started: "2025-1\(i)-01T00:00:00Z", owner: rcOwner))
        }
        try sim.load("[" + objects.joined(separator: ",") + "]")
    }

    static func pods(_ sim: ActSim) throws -> [Pod] {
        try sim.objects("pods", namespace: "shop").map { try JSONDecoder().decode(Pod.self, from: JSONSerialization.data(withJSONObject: $0)) }
    }

    @Test func replacesReplicationControllerPodsOneAtATime() async throws {
        let sim = try ActSim()
        try Self.legacyCluster(sim, count: 3)
        let executor = ActFixtures.executor(sim)
        let start = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        let inProgress = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .inProgress(since: ActFixtures.now))
        var now = ActFixtures.now
        var evicted: [String] = []
        var decision = start
        for round in 0..<20 {
            let step = try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: now, timeout: 600)
            decision = inProgress
            now = now + 10
            switch step {
            case .evicted(let pod):
                evicted.append(pod.name)
                // Never more than one pod missing: the other old pods are all still there.
                #expect(try Self.pods(sim).count == 2)
                // The replication manager creates a replacement (not Ready at first), then the kubelet makes it Ready.
                try sim.create("pods", namespace: "shop", json: ActFixtures.pod(
                    "legacy-new-\(round)", uid: "new-\(round)", started: now.rfc3339, ready: false, owner: Self.rcOwner))
                #expect(try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: now, timeout: 600) == .waitingForReady)
                try sim.delete("pods", namespace: "shop", name: "legacy-new-\(round)")
                try sim.create("pods", namespace: "shop", json: ActFixtures.pod(
                    "legacy-new-\(round)", uid: "new-\(round)", started: now.rfc3339, ready: true, owner: Self.rcOwner))
            case .done:
                #expect(evicted == ["legacy-0", "legacy-1", "legacy-2"], "oldest first")
                #expect(executor.evictionRestartedAt(decision.workload) == nil)
                let annotations = ActFixtures.annotations(sim.object("replicationcontrollers", namespace: "shop", name: "legacy"))
                #expect(annotations["token-warden.dev/restarted-at"] == ActFixtures.now.rfc3339)
                #expect(annotations["token-warden.dev/restart-for-deadline"] == ActFixtures.deadline.rfc3339)
                let reasons = try ActFixtures.events(sim, namespace: "shop", about: "legacy").map(\.reason)
                #expect(reasons == ["RestartStarted"], "one Event for the sequence; completion is the controller's to report")
                let evictions = sim.requests.filter { $0.subresource == "eviction" }
                #expect(evictions.count == 3)
                return
            default:
                Issue.record("unexpected step \(step) in round \(round)")
                return
            }
        }
        Issue.record("the sequence did not finish")
    }

    @Test func aDisruptionBudgetBlocksWithTheServersStatusThenTimesOut() async throws {
        let sim = try ActSim()
        try Self.legacyCluster(sim, count: 1)
        sim.refuseEvictions(budget: "legacy", needs: 1, has: 1)
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        let step = try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: ActFixtures.now, timeout: 300)
        guard case .blocked(let status, let retryAfter) = step else {
            Issue.record("expected .blocked, got \(step)")
            return
        }
        #expect(status.code == 429 && status.reason == "TooManyRequests")
        #expect(status.details?.causes?.first?.reason == "DisruptionBudget")
        #expect(retryAfter == 5)
        // Blocked again later: still blocked, the Event counts up instead of multiplying.
        _ = try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: ActFixtures.now + 5, timeout: 300)
        let blocked = try ActFixtures.events(sim, namespace: "shop", about: "legacy").filter { $0.reason == "EvictionBlocked" }
        #expect(blocked.count == 1 && blocked.first?.count == 2)
        #expect(blocked.first?.message?.contains("needs 1 healthy pods and has 1 currently") == true)
        // No progress for longer than the timeout: give up.
        let late = try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: ActFixtures.now + 301, timeout: 300)
        #expect(late == .timedOut)
        #expect(try Self.pods(sim).count == 1, "the pod was never evicted")
    }

    @Test func aResumedSequenceTakesRestartedAtFromTheCluster() async throws {
        let sim = try ActSim()
        try Self.legacyCluster(sim, count: 2)
        let first = ActFixtures.executor(sim)
        let start = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        #expect(try await first.evictNext(start, workloadPods: try Self.pods(sim), now: ActFixtures.now, timeout: 600)
            == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-0", uid: "old-0")))
        try sim.create("pods", namespace: "shop", json: ActFixtures.pod(
            "legacy-new", uid: "new-0", started: (ActFixtures.now + 20).rfc3339, owner: Self.rcOwner))

        // The controller restarts: a new executor, the planner says "resume".
        let second = ActFixtures.executor(sim)
        let resume = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: true))
        let later = ActFixtures.now + 3600
        let step = try await second.evictNext(resume, workloadPods: try Self.pods(sim), now: later, timeout: 600)
        #expect(step == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-1", uid: "old-1")), "the replacement is not evicted")
        #expect(second.evictionRestartedAt(resume.workload) == ActFixtures.now)
        let annotations = ActFixtures.annotations(sim.object("replicationcontrollers", namespace: "shop", name: "legacy"))
        #expect(annotations["token-warden.dev/restarted-at"] == ActFixtures.now.rfc3339, "the state is not rewritten")
    }

    /// Two old pods of shop/legacy; a first leader began the sequence at `ActFixtures.now` and
    /// evicted one, whose replacement now runs; then it went away.
    static func firstLeaderReplacedOnePod() async throws -> ActSim {
        let sim = try ActSim()
        try legacyCluster(sim, count: 2)
        let first = ActFixtures.executor(sim)
        let start = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: false))
        _ = try await first.evictNext(start, workloadPods: try pods(sim), now: ActFixtures.now, timeout: 600)
        try sim.create("pods", namespace: "shop", json: ActFixtures.pod(
            "legacy-new", uid: "new-0", started: (ActFixtures.now + 20).rfc3339, owner: rcOwner))
        return sim
    }

    /// After its first eviction the workload's deadline is a later pod's: a new leader resuming
    /// the sequence finds the record for the earlier deadline and evicts no replacement.
    @Test func aSequenceResumedAfterItsDeadlineMovedEvictsNoReplacement() async throws {
        let sim = try await Self.firstLeaderReplacedOnePod()

        let second = ActFixtures.executor(sim)
        let moved = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .restart(.evict, resume: true),
                                         deadline: ActFixtures.deadline + 86_400)
        let step = try await second.evictNext(moved, workloadPods: try Self.pods(sim), now: ActFixtures.now + 60, timeout: 600)
        #expect(step == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-1", uid: "old-1")), "the replacement is not evicted")
        #expect(second.evictionRestartedAt(moved.workload) == ActFixtures.now, "the sequence is resumed, not begun again")
    }

    /// A new leader finds a sequence under way whose workload is no longer due (its first pods were
    /// replaced, its deadline moved a year on): the planner says "in progress since", and the
    /// sequence goes on from then, without a second RestartStarted and without evicting the
    /// replacement.
    @Test func aSequenceInProgressAfterALeaderChangeIsCarriedOnNotBegunAgain() async throws {
        let sim = try await Self.firstLeaderReplacedOnePod()

        let second = ActFixtures.executor(sim)
        let carriedOn = ActFixtures.decision(.replicationController, name: "legacy", uid: "rc-1", action: .inProgress(since: ActFixtures.now),
                                             deadline: ActFixtures.deadline + 365 * 86_400)
        let step = try await second.evictNext(carriedOn, workloadPods: try Self.pods(sim), now: ActFixtures.now + 300, timeout: 600)
        #expect(step == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "legacy-1", uid: "old-1")), "the replacement is not evicted")
        #expect(second.evictionRestartedAt(carriedOn.workload) == ActFixtures.now)
        let started = try ActFixtures.events(sim, namespace: "shop", about: "legacy").filter { $0.reason == "RestartStarted" }
        #expect(started.count == 1, "one RestartStarted, from the first leader")
    }

    @Test func customOwnersKeepTheStateOnTheirPods() async throws {
        let sim = try ActSim()
        let owner = ActFixtures.Owner(apiVersion: "example.com/v1", kind: "Widget", name: "w", uid: "w-1")
        try sim.load("[" + [ActFixtures.namespace("shop"),
                            ActFixtures.pod("w-0", uid: "w-0", started: "2025-01-01T00:00:00Z", owner: owner),
                            ActFixtures.pod("w-1", uid: "w-1p", started: "2025-02-01T00:00:00Z", owner: owner)].joined(separator: ",") + "]")
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.custom(kind: "Widget", apiVersion: "example.com/v1"), name: "w", uid: "w-1",
                                            action: .restart(.evict, resume: false))
        let step = try await executor.evictNext(decision, workloadPods: try Self.pods(sim), now: ActFixtures.now, timeout: 600)
        #expect(step == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "w-0", uid: "w-0")))
        let remaining = ActFixtures.annotations(sim.object("pods", namespace: "shop", name: "w-1"))
        #expect(remaining["token-warden.dev/restart-for-deadline"] == ActFixtures.deadline.rfc3339)
        let events = try ActFixtures.events(sim, namespace: "shop", about: "w")
        #expect(events.first?.involvedObject.apiVersion == "example.com/v1")

        // The controller restarts; the planner cannot see the state on the pods and says "new":
        // the replacement is not evicted, the remaining old pod is.
        try sim.create("pods", namespace: "shop", json: ActFixtures.pod(
            "w-2", uid: "w-2", started: (ActFixtures.now + 30).rfc3339, owner: owner))
        let again = try await ActFixtures.executor(sim).evictNext(decision, workloadPods: try Self.pods(sim), now: ActFixtures.now + 600, timeout: 600)
        #expect(again == .evicted(ObjectRef(kind: "Pod", namespace: "shop", name: "w-1", uid: "w-1p")))
    }
}
