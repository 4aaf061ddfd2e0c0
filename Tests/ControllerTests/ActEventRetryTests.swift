import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Testing
import Transport

/// Events refused for a reason that may pass (429, 5xx, no answer) are written once the server
/// takes them again; other refusals are dropped after one log line.
@Suite("Act: Event retries")
struct ActEventRetryTests {
    static let web = ObjectRef(kind: "Deployment", namespace: "shop", name: "web", uid: "d-1")

    static func event(_ message: String = "token deadline 2026-12-10T08:00:00Z") -> WardenEvent {
        WardenEvent(regarding: web, type: .warning, reason: .tokenExpiryAtRisk, message: message)
    }

    /// Short backoff so the tests wait milliseconds, not seconds.
    static let fast = EventRecorder.Limits(retryInitialDelay: .milliseconds(20), retryMaxDelay: .milliseconds(100))

    static func eventWrites(_ sim: ActSim) -> [ActSim.Request] {
        sim.requests.filter { $0.resource == "events" && $0.isWrite }
    }

    @Test func anEventRefusedWith503ArrivesOnceTheFaultClears() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let recorder = ActFixtures.recorder(sim, limits: Self.fast)
        sim.refuse("events", verb: "create", code: 503)
        await recorder.emit(Self.event())
        #expect(try await ActClusterTests.eventually(10) { Self.eventWrites(sim).filter { $0.code == 503 }.count >= 10 })
        #expect(try ActFixtures.events(sim, namespace: "shop").isEmpty)
        #expect(recorder.pendingRetries == 1)

        sim.clearFaults()
        #expect(try await ActClusterTests.eventually(10) { recorder.pendingRetries == 0 })
        let events = try ActFixtures.events(sim, namespace: "shop")
        #expect(events.count == 1)
        #expect(events.first?.count == 1 && events.first?.reason == "TokenExpiryAtRisk")
        #expect(Self.eventWrites(sim).filter { $0.code == 201 }.count == 1, "exactly one create accepted: \(Self.eventWrites(sim))")
        // Nothing more is sent once it is written.
        let sent = Self.eventWrites(sim).count
        try await Task.sleep(for: .milliseconds(300))
        #expect(Self.eventWrites(sim).count == sent)
        #expect(recorder.droppedEvents == 0)
    }

    @Test func aRepeatDuringTheOutageIsCountedInTheOneEvent() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let clock = TestClock()
        let recorder = ActFixtures.recorder(sim, clock: clock, limits: Self.fast)
        sim.refuse("events", verb: "create", code: 429)
        await recorder.emit(Self.event())
        clock.advance(30)
        await recorder.emit(Self.event())  // a patch of the Event not written yet: 404, then a refused create
        #expect(recorder.pendingRetries == 1)
        sim.clearFaults()
        #expect(try await ActClusterTests.eventually(10) { recorder.pendingRetries == 0 })
        let events = try ActFixtures.events(sim, namespace: "shop")
        #expect(events.count == 1)
        #expect(events.first?.count == 2)
        #expect(events.first?.firstTimestamp == ActFixtures.now && events.first?.lastTimestamp == ActFixtures.now + 30)
    }

    @Test func aRepeatPatchRefusedWith500IsRetried() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let clock = TestClock()
        let recorder = ActFixtures.recorder(sim, clock: clock, limits: Self.fast)
        await recorder.emit(Self.event())
        sim.refuse("events", verb: "patch", code: 500)
        clock.advance(60)
        await recorder.emit(Self.event())
        #expect(recorder.pendingRetries == 1)
        sim.clearFaults()
        #expect(try await ActClusterTests.eventually(10) { recorder.pendingRetries == 0 })
        let events = try ActFixtures.events(sim, namespace: "shop")
        #expect(events.count == 1 && events.first?.count == 2 && events.first?.lastTimestamp == ActFixtures.now + 60)
    }

    @Test func aRecorderGivenUpStopsRetrying() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        sim.refuse("events", verb: "create", code: 503)
        do {
            let recorder = ActFixtures.recorder(sim, limits: Self.fast)
            await recorder.emit(Self.event())
            #expect(try await ActClusterTests.eventually(10) { Self.eventWrites(sim).count >= 12 })
        }
        // The controller that owned it is gone: at most the step under way finishes.
        try await Task.sleep(for: .milliseconds(500))
        let sent = Self.eventWrites(sim).count
        try await Task.sleep(for: .milliseconds(500))
        #expect(Self.eventWrites(sim).count == sent)
    }

    @Test func otherRefusalsAreDroppedNotRetried() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let recorder = ActFixtures.recorder(sim, limits: Self.fast)
        sim.refuse("events", verb: "create", code: 403)  // the injector answers 403 as an InternalError body; the code decides
        await recorder.emit(Self.event())
        #expect(recorder.pendingRetries == 0)
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.eventWrites(sim).count == 1)
    }

    @Test func everyAttemptFailingGivesUpAfterTheLimit() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        var limits = Self.fast
        limits.maxAttempts = 3
        let recorder = ActFixtures.recorder(sim, limits: limits)
        sim.refuse("events", verb: "create", code: 503)
        await recorder.emit(Self.event())
        #expect(try await ActClusterTests.eventually(10) { recorder.droppedEvents == 1 })
        #expect(recorder.pendingRetries == 0)
        // 3 attempts, each of them 1 + 5 tries of the client (Retry-After 0).
        #expect(Self.eventWrites(sim).count == 18, "\(Self.eventWrites(sim).count)")
        // Forgotten: once the server is back, the next occurrence is a fresh Event.
        sim.clearFaults()
        await recorder.emit(Self.event())
        #expect(try ActFixtures.events(sim, namespace: "shop").count == 1)
    }

    @Test func onlyThrottlingServerErrorsAndLostConnectionsAreRetryable() {
        func status(_ code: Int) -> APIError {
            .status(code: code, status: APIStatus(message: nil, reason: nil, code: code), retryAfterSeconds: nil, verb: "create", path: "/api/v1/namespaces/shop/events")
        }
        #expect(EventRecorder.isRetryable(status(429)))
        #expect(EventRecorder.isRetryable(status(500)))
        #expect(EventRecorder.isRetryable(status(503)))
        for code in [400, 401, 403, 404, 409, 422] { #expect(!EventRecorder.isRetryable(status(code)), "\(code)") }
        #expect(EventRecorder.isRetryable(APIError.transport(TransportError(kind: .connectionLost, message: "reset", url: "u"))))
        #expect(!EventRecorder.isRetryable(APIError.transport(TransportError(kind: .tlsVerificationFailed, message: "bad", url: "u"))))
        #expect(!EventRecorder.isRetryable(CancellationError()))
    }

    // MARK: The queue

    static func entry(_ name: String, attempts: Int = 1, count: Int = 1) -> EventRetryQueue.Entry {
        EventRetryQueue.Entry(event: event(name), name: name, count: count, firstTimestamp: Timestamp(seconds: 100),
                              lastTimestamp: Timestamp(seconds: 100 + Int64(count)), attempts: attempts, dueAt: .now)
    }

    @Test func theQueueDropsTheOldestWhenFull() {
        var queue = EventRetryQueue(policy: .init(capacity: 2, maxAttempts: 12, initialDelay: .seconds(1), maxDelay: .seconds(30)))
        let now = ContinuousClock.now
        #expect(queue.schedule(Self.entry("a"), retryAfterSeconds: nil, now: now)?.name == nil)
        #expect(queue.schedule(Self.entry("b"), retryAfterSeconds: nil, now: now)?.name == nil)
        #expect(queue.schedule(Self.entry("c"), retryAfterSeconds: nil, now: now)?.name == "a")
        #expect(queue.entries.map(\.name) == ["b", "c"])
        #expect(queue.dropped == 1)
        // Not due before the delay; then earliest first.
        #expect(queue.takeDue(now: now)?.name == nil)
        #expect(queue.takeDue(now: now + .seconds(1))?.name == "b")
    }

    @Test func theQueueMergesRepeatsAndStopsAtTheAttemptLimit() {
        var queue = EventRetryQueue(policy: .init(capacity: 8, maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(30)))
        let now = ContinuousClock.now
        _ = queue.schedule(Self.entry("a"), retryAfterSeconds: nil, now: now)
        #expect(queue.schedule(Self.entry("a", count: 3), retryAfterSeconds: nil, now: now)?.name == nil)
        #expect(queue.entries.count == 1 && queue.entries[0].count == 3 && queue.entries[0].lastTimestamp == Timestamp(seconds: 103))
        #expect(queue.schedule(Self.entry("b", attempts: 3), retryAfterSeconds: nil, now: now)?.name == "b")
        #expect(queue.dropped == 1 && queue.entries.count == 1)
    }

    @Test func aNewerStateWaitsForTheWriteUnderWay() {
        var queue = EventRetryQueue(policy: .init(capacity: 8, maxAttempts: 12, initialDelay: .seconds(1), maxDelay: .seconds(30)))
        let now = ContinuousClock.now
        _ = queue.schedule(Self.entry("a"), retryAfterSeconds: nil, now: now)
        let attempt = queue.takeDue(now: now + .seconds(1))
        #expect(attempt?.name == "a" && queue.isPending("a") && queue.count == 1)
        // A repeat arrives while "a" is being written: it queues behind it, and is not taken before it ends.
        _ = queue.follow(Self.entry("a", count: 2), now: now + .seconds(1))
        #expect(queue.takeDue(now: now + .seconds(2))?.name == nil)
        // The attempt fails: merged into the follower, which keeps the newest count.
        _ = queue.schedule(Self.entry("a", attempts: 2), retryAfterSeconds: nil, now: now + .seconds(2))
        #expect(queue.entries.count == 1 && queue.entries[0].count == 2 && queue.entries[0].attempts == 2)
        #expect(queue.takeDue(now: now + .seconds(2))?.count == 2)
        queue.finish("a")
        #expect(!queue.isPending("a") && queue.count == 0)
    }

    @Test func backoffDoublesIsCappedAndHonoursRetryAfter() {
        let queue = EventRetryQueue(policy: .init(capacity: 8, maxAttempts: 12, initialDelay: .seconds(1), maxDelay: .seconds(30)))
        #expect((1...7).map { queue.delay(afterFailedAttempts: $0, retryAfterSeconds: nil) }
            == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
        #expect(queue.delay(afterFailedAttempts: 1, retryAfterSeconds: 5) == .seconds(5))
        #expect(queue.delay(afterFailedAttempts: 1, retryAfterSeconds: 3600) == .seconds(30))
    }
}
