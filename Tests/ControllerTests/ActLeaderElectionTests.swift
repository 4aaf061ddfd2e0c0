import APIClient
@testable import Act
import Foundation
import KubeModel
import Synchronization
import Testing
import TestSupport

@Suite("Act: leader election", .serialized)
struct ActLeaderElectionTests {
    static func spec(_ holder: String?, duration: Int = 15, transitions: Int = 0) -> Lease.Spec {
        Lease.Spec(holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: MicroTime(seconds: 1000),
                   renewTime: MicroTime(seconds: 1000), leaseTransitions: transitions)
    }

    static func decide(_ record: Lease.Spec?, observedAt: Double = 1000, isLeader: Bool = false, lastRenewedAt: Double? = nil,
                       now: Double) -> LeaseVerdict {
        LeaseElection.decide(record: record, observedAt: observedAt, identity: "me", isLeader: isLeader, lastRenewedAt: lastRenewedAt,
                             now: now, renewDeadline: 10, defaultLeaseDuration: 15)
    }

    // MARK: The pure decision, fixed clock

    @Test func noLeaseIsCreated() {
        #expect(Self.decide(nil, now: 1000) == .create)
    }

    @Test func aFreeOrReleasedLeaseIsAcquired() {
        #expect(Self.decide(Self.spec(nil), now: 1000) == .acquire)
        #expect(Self.decide(Self.spec(""), now: 1000) == .acquire)
    }

    @Test func anotherHoldersLeaseIsRespectedUntilItExpiresFromOurObservation() {
        let held = Self.spec("other")
        #expect(Self.decide(held, observedAt: 1000, now: 1000) == .standBy(holder: "other", until: 1015))
        #expect(Self.decide(held, observedAt: 1000, now: 1014.9) == .standBy(holder: "other", until: 1015))
        #expect(Self.decide(held, observedAt: 1000, now: 1015) == .acquire)
        // The record's own duration counts (a released lease says 1 s).
        #expect(Self.decide(Self.spec("other", duration: 1), observedAt: 1000, now: 1001) == .acquire)
    }

    @Test func theLeaderRenewsItsOwnLease() {
        #expect(Self.decide(Self.spec("me"), isLeader: true, lastRenewedAt: 1000, now: 1002) == .renew)
        // Our own identity after a restart: acquire at once (client-go's IsLeader on the observed record).
        #expect(Self.decide(Self.spec("me"), isLeader: false, now: 1002) == .acquire)
    }

    @Test func theLeaderStepsDownWhenItCannotRenewOrSomeoneElseHoldsIt() {
        guard case .lost = Self.decide(Self.spec("me"), isLeader: true, lastRenewedAt: 1000, now: 1010.5) else {
            Issue.record("expected lost after the renew deadline")
            return
        }
        guard case .lost = Self.decide(Self.spec("other"), isLeader: true, lastRenewedAt: 1000, now: 1002) else {
            Issue.record("expected lost when another holds the lease")
            return
        }
        #expect(LeaseElection.hasLapsed(lastRenewedAt: 1000, now: 1010, renewDeadline: 10) == false)
        #expect(LeaseElection.hasLapsed(lastRenewedAt: 1000, now: 1010.01, renewDeadline: 10))
    }

    @Test func recordsCountHolderChangesOnly() {
        let now = MicroTime(seconds: 2000)
        let created = LeaseElection.record(for: .create, previous: nil, identity: "me", leaseDurationSeconds: 15, now: now)
        #expect(created == Lease.Spec(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: 0))
        let taken = LeaseElection.record(for: .acquire, previous: Self.spec("other", transitions: 3), identity: "me", leaseDurationSeconds: 15, now: now)
        #expect(taken.holderIdentity == "me" && taken.leaseTransitions == 4 && taken.acquireTime == now)
        let renewed = LeaseElection.record(for: .renew, previous: Self.spec("me", transitions: 4), identity: "me", leaseDurationSeconds: 15, now: now)
        #expect(renewed.leaseTransitions == 4 && renewed.acquireTime == MicroTime(seconds: 1000) && renewed.renewTime == now)
        let again = LeaseElection.record(for: .acquire, previous: Self.spec("me", transitions: 4), identity: "me", leaseDurationSeconds: 15, now: now)
        #expect(again.leaseTransitions == 4, "re-acquiring our own lease is no transition")
        let released = LeaseElection.released(renewed, now: now)
        #expect(released.holderIdentity == "" && released.leaseDurationSeconds == 1 && released.leaseTransitions == 4)
    }

    @Test func configurationIsValidatedLikeClientGo() throws {
        try LeaderElectionConfig(namespace: "ns", identity: "a").validate()
        try LeaderElectionConfig(namespace: "ns", identity: "a", leaseDuration: 1, renewDeadline: 0.7, retryPeriod: 0.2).validate()
        #expect(throws: LeaderElectionConfigError.self) { try LeaderElectionConfig(namespace: "ns", identity: "a", leaseDuration: 10, renewDeadline: 10).validate() }
        #expect(throws: LeaderElectionConfigError.self) { try LeaderElectionConfig(namespace: "ns", identity: "a", renewDeadline: 2, retryPeriod: 2).validate() }
        #expect(throws: LeaderElectionConfigError.self) { try LeaderElectionConfig(namespace: "ns", identity: "").validate() }
        #expect(LeaderElectionConfig(namespace: "ns", identity: "a", leaseDuration: 0.5, renewDeadline: 0.3, retryPeriod: 0.1).leaseDurationSeconds == 1)
    }

    @Test func microTimeRoundTripsTheGoldenLease() throws {
        let lease = try JSONDecoder().decode(Lease.self, from: Fixtures.golden("objects/lease-created.json"))
        #expect(lease.spec.holderIdentity == "token-warden-0" && lease.spec.leaseDurationSeconds == 15 && lease.spec.leaseTransitions == 0)
        #expect(lease.spec.renewTime?.rfc3339 == "2026-11-23T10:00:00.000000Z")
        #expect(MicroTime(rfc3339: "2026-11-23T10:00:00.123456Z")?.rfc3339 == "2026-11-23T10:00:00.123456Z")
        #expect(MicroTime(rfc3339: "2026-11-23T10:00:00.5Z")?.microseconds == MicroTime(rfc3339: "2026-11-23T10:00:00Z")!.microseconds + 500_000)
        #expect(MicroTime(rfc3339: "2026-11-23T10:00:00Z")?.timestamp == Timestamp(rfc3339: "2026-11-23T10:00:00Z"))
        #expect(MicroTime(rfc3339: "not a time") == nil)
    }

    // MARK: Against the simulated API server
    // Short durations, 3 s / 2 s / 0.4 s, one test at a time: with 1 s / 0.7 s / 0.2 s a renewal
    // sometimes takes longer than the renew deadline on a loaded 2-core machine running the other
    // suites in parallel (all HTTP of the process shares one libcurl thread) — correct behaviour
    // (the leader steps down), but not what these tests are about.

    /// The electors run here, off the shared cooperative pool (see `DedicatedThreadExecutor`).
    static let executor = DedicatedThreadExecutor(name: "act-leader-election")

    static let leaseDuration = 3.0
    static let retryPeriod = 0.4

    static func config(_ identity: String, release: Bool = true) -> LeaderElectionConfig {
        LeaderElectionConfig(namespace: "token-warden", name: "token-warden", identity: identity, leaseDuration: leaseDuration,
                             renewDeadline: 2, retryPeriod: retryPeriod, releaseOnCancel: release)
    }

    /// Who leads, as the electors' callbacks report it, and the most leaders ever at once.
    final class Leadership: Sendable {
        private let state = Mutex<(leaders: Set<String>, maximum: Int, firstLed: [String: ContinuousClock.Instant])>(([], 0, [:]))

        func callback(_ identity: String) -> @Sendable (Bool) -> Void {
            { [self] leading in
                state.withLock { s in
                    if leading {
                        s.leaders.insert(identity)
                        if s.firstLed[identity] == nil { s.firstLed[identity] = .now }
                    } else {
                        s.leaders.remove(identity)
                    }
                    s.maximum = max(s.maximum, s.leaders.count)
                }
            }
        }

        var leaders: Set<String> { state.withLock { $0.leaders } }
        var maximum: Int { state.withLock { $0.maximum } }
        func firstLed(_ identity: String) -> ContinuousClock.Instant? { state.withLock { $0.firstLed[identity] } }

        func wait(until condition: () -> Bool, timeout: Duration = .seconds(30)) async throws {
            let start = ContinuousClock.now
            while !condition() {
                if ContinuousClock.now - start > timeout { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    static func lease(_ sim: ActSim) throws -> Lease {
        try ActFixtures.decode(Lease.self, sim.bytes("leases", namespace: "token-warden", name: "token-warden"))
    }

    @Test func twoElectorsExactlyOneLeadsAndTheOtherTakesOverWhenItStops() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("token-warden"))
        let leadership = Leadership()
        let a = LeaderElector(client: ActFixtures.client(sim), config: Self.config("a"), logger: ActFixtures.logger)
        let b = LeaderElector(client: ActFixtures.client(sim), config: Self.config("b"), logger: ActFixtures.logger)
        let taskA = Task(executorPreference: Self.executor) { await a.run(onChange: leadership.callback("a")) }
        let taskB = Task(executorPreference: Self.executor) { await b.run(onChange: leadership.callback("b")) }
        defer {
            taskA.cancel()
            taskB.cancel()
        }
        try await leadership.wait(until: { leadership.leaders.count == 1 })
        let first = try #require(leadership.leaders.first)
        // Two lease durations: the leader keeps renewing, the follower stays a follower.
        try await Task.sleep(for: .seconds(2 * Self.leaseDuration))
        #expect(leadership.leaders == [first])
        #expect(leadership.maximum == 1)
        #expect(try Self.lease(sim).spec.holderIdentity == first)
        #expect((a.isLeader ? 1 : 0) + (b.isLeader ? 1 : 0) == 1)

        // The leader shuts down: it releases the lease and the other takes over.
        let stopped = ContinuousClock.now
        let (leaderTask, other) = first == "a" ? (taskA, "b") : (taskB, "a")
        leaderTask.cancel()
        await leaderTask.value
        try await leadership.wait(until: { leadership.leaders == [other] })
        #expect(leadership.leaders == [other])
        let takeover = try #require(leadership.firstLed(other)) - stopped
        // Within leaseDuration + retryPeriod; one extra second for a busy machine.
        #expect(takeover < .seconds(Self.leaseDuration + Self.retryPeriod + 1), "took over after \(takeover)")
        #expect(leadership.maximum == 1, "never two leaders")
        let lease = try Self.lease(sim)
        #expect(lease.spec.holderIdentity == other)
        #expect(lease.spec.leaseTransitions == 1 || lease.spec.leaseTransitions == 2, "one change of holder after the first acquisition")
    }

    @Test func aLeaderThatDiesWithoutReleasingIsReplacedOnlyAfterItsLeaseExpires() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("token-warden"))
        let leadership = Leadership()
        let a = LeaderElector(client: ActFixtures.client(sim), config: Self.config("a", release: false), logger: ActFixtures.logger)
        let taskA = Task(executorPreference: Self.executor) { await a.run(onChange: leadership.callback("a")) }
        try await leadership.wait(until: { leadership.leaders == ["a"] })
        #expect(leadership.leaders == ["a"])
        let b = LeaderElector(client: ActFixtures.client(sim), config: Self.config("b"), logger: ActFixtures.logger)
        let taskB = Task(executorPreference: Self.executor) { await b.run(onChange: leadership.callback("b")) }
        defer { taskB.cancel() }
        try await Task.sleep(for: .seconds(1.5 * Self.leaseDuration))
        #expect(leadership.leaders == ["a"], "b stands by while a renews")

        let died = ContinuousClock.now
        taskA.cancel()
        await taskA.value
        #expect(try Self.lease(sim).spec.holderIdentity == "a", "not released")
        try await leadership.wait(until: { leadership.leaders == ["b"] })
        let takeover = try #require(leadership.firstLed("b")) - died
        // Not before a's last renewal (≤ one retry period before it died) + the lease duration;
        // soon after it (b polls every 1–2.2 retry periods, client-go's jitter).
        #expect(takeover >= .seconds(Self.leaseDuration - Self.retryPeriod - 0.05), "took over after \(takeover)")
        #expect(takeover < .seconds(Self.leaseDuration + 5 * Self.retryPeriod + 1), "took over after \(takeover)")
        let lease = try Self.lease(sim)
        #expect(lease.spec.holderIdentity == "b" && lease.spec.leaseTransitions == 1)
    }

    @Test func conflictingWritesAreRetriedFromAFreshRead() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("token-warden"))
        // A lease someone released with an old resourceVersion in our hands: the PUT must carry the current one.
        try sim.load(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"token-warden","namespace":"token-warden"},"spec":{"holderIdentity":"","leaseDurationSeconds":1,"leaseTransitions":7}}"#)
        let leadership = Leadership()
        let a = LeaderElector(client: ActFixtures.client(sim), config: Self.config("a"), logger: ActFixtures.logger)
        let task = Task(executorPreference: Self.executor) { await a.run(onChange: leadership.callback("a")) }
        try await leadership.wait(until: { leadership.leaders == ["a"] })
        task.cancel()
        await task.value
        #expect(leadership.leaders.isEmpty)
        let lease = try Self.lease(sim)
        #expect(lease.spec.leaseTransitions == 8)
        #expect(lease.spec.holderIdentity == "", "released on shutdown")
        #expect(lease.spec.leaseDurationSeconds == 1)
        #expect(sim.requests.filter { $0.resource == "leases" && $0.verb == "update" }.allSatisfy { $0.code == 200 })
    }
}
