import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Testing
import TestSupport

@Suite("Act: Events")
struct ActEventTests {
    static let web = ObjectRef(kind: "Deployment", namespace: "shop", name: "web", uid: "d-1")

    static func event(_ message: String = "token deadline 2026-12-10T08:00:00Z", reason: EventReason = .tokenExpiryAtRisk,
                      regarding: ObjectRef = web) -> WardenEvent {
        WardenEvent(regarding: regarding, type: .warning, reason: reason, message: message)
    }

    @Test func reasonsAreCamelCaseAndUnique() {
        let raw = EventReason.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for reason in raw {
            #expect(reason.first!.isUppercase && !reason.contains(" ") && !reason.contains("-"), "\(reason)")
        }
        #expect(EventReason.wouldRestart.rawValue == "WouldRestart")
    }

    @Test func apiVersionIsDerivedForBuiltInKinds() {
        #expect(WardenEvent(regarding: Self.web, type: .normal, reason: .restartStarted, message: "m").apiVersion == "apps/v1")
        let pod = ObjectRef(kind: "Pod", namespace: "shop", name: "p")
        #expect(WardenEvent(regarding: pod, type: .normal, reason: .restartStarted, message: "m").apiVersion == "v1")
        let custom = ObjectRef(kind: "Rollout", namespace: "shop", name: "r")
        #expect(WardenEvent(regarding: custom, apiVersion: "argoproj.io/v1alpha1", type: .normal, reason: .warnOnly, message: "m")
            .apiVersion == "argoproj.io/v1alpha1")
    }

    @Test func correlatorCreatesThenCountsRepeats() {
        var correlator = EventCorrelator()
        var names = 0
        func name() -> String { names += 1; return "web.\(names)" }
        #expect(correlator.observe(Self.event(), now: 100, newName: name) == .create(name: "web.1"))
        #expect(correlator.observe(Self.event(), now: 160, newName: name) == .patch(name: "web.1", count: 2, firstTimestamp: Timestamp(seconds: 100)))
        #expect(correlator.observe(Self.event(), now: 220, newName: name) == .patch(name: "web.1", count: 3, firstTimestamp: Timestamp(seconds: 100)))
        // Another message, reason or object is another Event.
        #expect(correlator.observe(Self.event("other"), now: 230, newName: name) == .create(name: "web.2"))
        #expect(correlator.observe(Self.event(reason: .tokenExpired), now: 230, newName: name) == .create(name: "web.3"))
        let api = ObjectRef(kind: "Deployment", namespace: "shop", name: "api", uid: "d-2")
        #expect(correlator.observe(Self.event(regarding: api), now: 230, newName: name) == .create(name: "web.4"))
        // A failed write is forgotten: the next occurrence creates again.
        correlator.forget(Self.event())
        #expect(correlator.observe(Self.event(), now: 240, newName: name) == .create(name: "web.5"))
    }

    @Test func spamFilterLimitsRepeatsOfEachObjectAndRefills() {
        var correlator = EventCorrelator(limits: .init(cacheSize: 100, burst: 3, ratePerSecond: 1.0 / 300))
        var verdicts: [EventCorrelator.Verdict] = []
        for i in 0..<5 { verdicts.append(correlator.observe(Self.event("m"), now: 1000, newName: { "n\(i)" })) }
        #expect(verdicts.filter { $0 == .skip }.count == 2)
        // Another object has its own budget.
        let other = ObjectRef(kind: "Deployment", namespace: "shop", name: "api", uid: "d-2")
        #expect(correlator.observe(Self.event(regarding: other), now: 1000, newName: { "api.1" }) == .create(name: "api.1"))
        // One token back after 5 minutes, not before; the repeat written then carries every count.
        #expect(correlator.observe(Self.event("m"), now: 1299, newName: { "x" }) == .skip)
        #expect(correlator.observe(Self.event("m"), now: 1301, newName: { "y" }) == .patch(name: "n0", count: 7, firstTimestamp: Timestamp(seconds: 1000)))
    }

    /// The budget used up by repeats of one condition (EvictionBlocked) never silences a change
    /// of state: gave up, timed out, completed, failed are new conditions and always written.
    @Test func spamFilterNeverDropsAChangeOfState() {
        var correlator = EventCorrelator(limits: .init(cacheSize: 100, burst: 3, ratePerSecond: 1.0 / 300))
        for i in 0..<24 { _ = correlator.observe(Self.event("eviction refused", reason: .evictionBlocked), now: 1000 + Double(i), newName: { "b" }) }
        #expect(correlator.observe(Self.event("eviction refused", reason: .evictionBlocked), now: 1030, newName: { "b" }) == .skip)
        #expect(correlator.observe(Self.event("gave up", reason: .rolloutTimedOut), now: 1031, newName: { "t" }) == .create(name: "t"))
        #expect(correlator.observe(Self.event("done", reason: .restartCompleted), now: 1032, newName: { "c" }) == .create(name: "c"))
        #expect(correlator.observe(Self.event("failed", reason: .restartFailed), now: 1033, newName: { "f" }) == .create(name: "f"))
    }

    @Test func lruCacheStaysBounded() {
        var cache = LRUCache<Int, Int>(capacity: 3)
        for i in 0..<3 { cache.set(i, i) }
        _ = cache.get(0)  // 1 is now the least recently used
        cache.set(3, 3)
        #expect(cache.count == 3)
        #expect(cache.get(1) == nil)
        #expect(cache.get(0) == 0 && cache.get(2) == 2 && cache.get(3) == 3)
    }

    @Test func eventsLiveInTheirObjectsNamespace() {
        #expect(EventRecorder.namespace(Self.event()) == "shop")
        let node = ObjectRef(kind: "Namespace", namespace: nil, name: "shop")
        #expect(EventRecorder.namespace(WardenEvent(regarding: node, type: .warning, reason: .invalidAnnotation, message: "m")) == "default")
    }

    @Test func messagesAreCutToTheAPILimit() {
        let long = String(repeating: "é", count: 900)  // 1800 bytes
        let cut = EventRecorder.truncated(long)
        #expect(cut.utf8.count <= 1024 && cut.hasSuffix("..."))
        #expect(EventRecorder.truncated("short") == "short")
    }

    @Test func recordsCoreEventsLikeClientGoAndCountsRepeats() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let clock = TestClock()
        let recorder = ActFixtures.recorder(sim, clock: clock)
        await recorder.emit(Self.event())
        clock.advance(90)
        await recorder.emit(Self.event())
        await recorder.emit(WardenEvent(regarding: Self.web, type: .normal, reason: .restartStarted, message: "rollout restart started",
                                        action: "Restart"))

        let events = try ActFixtures.events(sim, namespace: "shop", about: "web")
        #expect(events.count == 2)
        let repeated = try #require(events.first { $0.reason == "TokenExpiryAtRisk" })
        #expect(repeated.count == 2)
        #expect(repeated.firstTimestamp == ActFixtures.now)
        #expect(repeated.lastTimestamp == ActFixtures.now + 90)
        #expect(repeated.type == "Warning")
        #expect(repeated.involvedObject == ObjectReference(kind: "Deployment", namespace: "shop", name: "web", uid: "d-1", apiVersion: "apps/v1"))
        #expect(repeated.source == EventSource(component: "token-warden", host: "token-warden-0"))
        #expect(repeated.reportingComponent == "token-warden" && repeated.reportingInstance == "token-warden-0")
        #expect(repeated.metadata.name.range(of: #"^web\.[0-9a-f]{16}$"#, options: .regularExpression) != nil, "\(repeated.metadata.name)")
        let started = try #require(events.first { $0.reason == "RestartStarted" })
        #expect(started.count == 1 && started.type == "Normal" && started.action == "Restart")

        // Same fields as the Event a real API server returned (golden), apart from server-side ones.
        let golden = try JSONSerialization.jsonObject(with: Fixtures.golden("objects/event-core-v1-created.json")) as! [String: Any]
        let stored = try #require(sim.objects("events", namespace: "shop").first { ($0["reason"] as? String) == "TokenExpiryAtRisk" })
        let expectedKeys = Set(golden.keys).subtracting(["eventTime"])
        #expect(expectedKeys.isSubset(of: Set(stored.keys)), "missing \(expectedKeys.subtracting(stored.keys))")
        let goldenInvolved = Set((golden["involvedObject"] as! [String: Any]).keys)
        #expect(goldenInvolved.isSubset(of: Set((stored["involvedObject"] as! [String: Any]).keys)))

        // One create per Event, one patch for the repeat.
        let writes = sim.requests.filter { $0.resource == "events" && $0.isWrite }
        #expect(writes.map(\.verb) == ["create", "patch", "create"], "\(writes)")
        #expect(writes.allSatisfy { (200..<300).contains($0.code) })
    }

    @Test func aDeletedEventIsCreatedAgainOnTheNextRepeat() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let clock = TestClock()
        let recorder = ActFixtures.recorder(sim, clock: clock)
        await recorder.emit(Self.event())
        let name = try #require(try ActFixtures.events(sim, namespace: "shop").first?.metadata.name)
        try sim.delete("events", namespace: "shop", name: name)
        clock.advance(10)
        await recorder.emit(Self.event())
        let events = try ActFixtures.events(sim, namespace: "shop")
        #expect(events.count == 1)
        #expect(events.first?.metadata.name == name)
        #expect(events.first?.count == 2)
    }

    @Test func aFlappingObjectCannotFloodTheServer() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let recorder = ActFixtures.recorder(sim, limits: .init(burst: 4))
        // Flapping between two conditions: their repeats share the object's budget.
        for i in 0..<20 { await recorder.emit(Self.event("flap \(i % 2)")) }
        #expect(sim.requests.filter { $0.resource == "events" && $0.isWrite }.count == 4)
        #expect(recorder.droppedEvents == 16)  // counted (token_warden_events_dropped_total)
        // A change of state still gets through.
        await recorder.emit(Self.event("gave up", reason: .rolloutTimedOut))
        #expect(sim.requests.filter { $0.resource == "events" && $0.isWrite }.count == 5)
    }

    @Test func failuresAreLoggedNotThrown() async throws {
        let sim = try ActSim()  // namespace "shop" does not exist: the create is refused (404)
        let recorder = ActFixtures.recorder(sim)
        await recorder.emit(Self.event())
        #expect(sim.requests.contains { $0.resource == "events" && $0.verb == "create" && $0.code == 404 })
        // Not remembered as written: once the namespace exists, the next occurrence is created.
        try sim.load(ActFixtures.namespace("shop"))
        await recorder.emit(Self.event())
        #expect(try ActFixtures.events(sim, namespace: "shop").first?.count == 1)
    }

    /// What a person sees: `kubectl get events` against the simulated server, when kubectl is installed.
    @Test(.enabled(if: ActKubectl.path != nil)) func kubectlShowsTheRepeatCount() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let clock = TestClock(Date().addingTimeInterval(-3 * 3600))
        let recorder = ActFixtures.recorder(sim, clock: clock)
        await recorder.emit(Self.event())
        clock.advance(3 * 3600 - 300)  // repeated 5 minutes ago
        await recorder.emit(Self.event())
        let output = try await ActKubectl.run(sim, ["get", "events", "-n", "shop"])
        let line = try #require(output.split(separator: "\n").first { $0.contains("TokenExpiryAtRisk") }, "\(output)")
        #expect(line.hasPrefix("5m") || line.hasPrefix("6m"), "LAST SEEN is the repeat's lastTimestamp: \(line)")
        #expect(line.contains("Warning"))
        #expect(line.contains("deployment/web"))
        #expect(line.contains("token deadline 2026-12-10T08:00:00Z"))
        // The repeat count, as a person asks for it (the default table has no COUNT column).
        let counts = try await ActKubectl.run(sim, ["get", "events", "-n", "shop", "-o", "custom-columns=REASON:.reason,COUNT:.count,SOURCE:.source.component"])
        #expect(counts.contains("TokenExpiryAtRisk   2       token-warden"), "\(counts)")
    }
}

/// Runs the real kubectl against a simulated server (waited for on a thread of its own).
enum ActKubectl {
    static let path: String? = ["/usr/local/bin/kubectl", "/usr/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ sim: ActSim, _ arguments: [String]) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("act-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }  // best-effort cleanup of a temp dir
        let config = directory.appendingPathComponent("kubeconfig").path
        try sim.kubeconfig(namespace: "shop").write(toFile: config, atomically: true, encoding: .utf8)
        return try await ChildProcess.runAsync(path!, ["--kubeconfig", config] + arguments, errorOutput: .mergeIntoOutput).output
    }
}
