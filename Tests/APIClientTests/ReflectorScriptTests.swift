import KubeModel
import Synchronization
import Testing
import Transport
import WatchCache
@testable import APIClient

/// The reflector's run loop against a scripted `ListWatcher` and a scripted clock: every path of
/// its state machine in milliseconds, without a server, a socket or a real wait.
@Suite struct ReflectorScriptTests {
    static func pod(_ name: String, rv: Int) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "ns", uid: "uid-\(name)", resourceVersion: String(rv)))
    }

    static func gone() -> WatchEvent<Pod> {
        .error(APIStatus(message: "too old resource version: 15 (18)", reason: "Expired", code: 410))
    }

    final class Restarts: ReflectorObserver {
        let reasons = Mutex<[String]>([])
        let relists = Atomic<Int>(0)
        func relisted(resource: String, objects: Int) { relists.add(1, ordering: .relaxed) }
        func watchRestarted(resource: String, reason: String) { reasons.withLock { $0.append(reason) } }
    }

    /// Runs a reflector over `steps` until the script is spent (bounded by wall time), then stops it.
    static func play(
        _ steps: [ScriptedListWatcher.Step], store: ObjectStore<Pod>, initialSync: InitialSync,
        backoff: Backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(100), seed: 1),
        support: StreamingSyncSupport? = nil, observer: any ReflectorObserver = NoReflectorObserver()
    ) async throws -> ScriptedListWatcher {
        let clock = ScriptedReflectorClock()
        let script = ScriptedListWatcher(steps, clock: clock)
        let reflector = Reflector(
            client: script, store: store,
            options: .init(backoff: backoff, initialSync: initialSync, streamingSupport: support, clock: clock),
            observer: observer)
        let task = Task { await reflector.run() }
        let started = ContinuousClock.now
        while !script.isSpent, ContinuousClock.now - started < .seconds(10) { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        await task.value
        return script
    }

    @Test func listWatchBookmarkGoneRelistWatchInMilliseconds() async throws {
        let changes = PodChangeLog()
        let store = ObjectStore<Pod>(onChange: changes.record)
        let restarts = Restarts()
        let started = ContinuousClock.now
        let script = try await Self.play([
            .list([Self.pod("a", rv: 5), Self.pod("gone-later", rv: 6)], resourceVersion: "10"),
            .watch([.added(Self.pod("b", rv: 11)), .bookmark(resourceVersion: "15", initialEventsEnd: false)], lasting: .seconds(300)),
            .watch([Self.gone()]),
            .list([Self.pod("a", rv: 5), Self.pod("c", rv: 19)], resourceVersion: "20"),
            .watch([.modified(Self.pod("c", rv: 21))], lasting: .seconds(300)),
        ], store: store, initialSync: .list, observer: restarts)
        let took = ContinuousClock.now - started

        #expect(script.requests == ["list", "watch 10", "watch 15", "list", "watch 20", "watch 21"])
        #expect(script.clock.waits == [], "no step of this path waits")
        #expect(Set(store.list().map { "\($0.metadata.name)@\($0.metadata.resourceVersion ?? "")" }) == ["a@5", "c@21"])
        #expect(store.resourceVersion == "21")
        #expect(store.hasSynced)
        let log = changes.entries
        #expect(log.prefix(2).sorted() == ["+a", "+gone-later"])
        #expect(log.contains("+b") && log.contains("-gone-later") && log.contains("-b") && log.contains("+c"))
        #expect(restarts.reasons.withLock { $0 } == ["expired"])
        #expect(restarts.relists.load(ordering: .relaxed) == 2)
        #expect(took < .seconds(2), "\(took)")
    }

    /// The streaming sync: ADDED events swapped in at the end bookmark, a 410 during a later
    /// stream syncs again at once, and the watch continues from the end bookmark's resourceVersion.
    @Test func streamedSyncSwapsAtTheEndBookmarkAndResyncsAfterGone() async throws {
        let store = ObjectStore<Pod>()
        let end = WatchEvent<Pod>.bookmark(resourceVersion: "30", initialEventsEnd: true)
        let script = try await Self.play([
            .watch([.added(Self.pod("a", rv: 7)), .added(Self.pod("b", rv: 8)), end]),
            .watch([Self.gone()]),
            .watch([Self.gone()]),
            .watch([.added(Self.pod("b", rv: 8)), .bookmark(resourceVersion: "40", initialEventsEnd: true)]),
        ], store: store, initialSync: .stream)
        #expect(script.requests == ["stream", "watch 30", "stream", "stream", "watch 40"])
        #expect(script.clock.waits == [])
        #expect(store.list().map(\.metadata.name) == ["b"])
        #expect(store.resourceVersion == "40")
    }

    /// A server that refuses the streaming sync (422, the WatchList gate off): lists instead, and
    /// a second reflector of the resource sharing what was learnt lists without asking.
    @Test func refusedStreamingFallsBackToListOncePerResource() async throws {
        let refused = APIError.status(code: 422, status: APIStatus(message: "sendInitialEvents is forbidden", reason: "Invalid", code: 422),
                                      retryAfterSeconds: nil, verb: "watch", path: "/api/v1/pods")
        let support = StreamingSyncSupport()
        let first = try await Self.play([
            .fail(refused), .list([Self.pod("a", rv: 5)], resourceVersion: "10"), .watch([Self.gone()]),
            .list([Self.pod("a", rv: 5)], resourceVersion: "12"),
        ], store: ObjectStore<Pod>(), initialSync: .stream, support: support)
        #expect(first.requests == ["stream", "list", "watch 10", "list", "watch 12"], "after the 410 it lists: remembered")
        #expect(support.reason(Pod.resource.description)?.contains("422") == true)

        let second = try await Self.play([.list([], resourceVersion: "11")], store: ObjectStore<Pod>(), initialSync: .stream, support: support)
        #expect(second.requests == ["list", "watch 11"])
    }

    /// Watches closed at once without an event: each is backed off, the waits doubling to the
    /// cap; a watch that stayed up past the healthy period resets the backoff.
    @Test func shortWatchesBackOffToTheCapAndAHealthyWatchResetsIt() async throws {
        let quick = ScriptedListWatcher.Step.watch([])
        let script = try await Self.play(
            [.list([], resourceVersion: "10")] + Array(repeating: quick, count: 5) + [.watch([], lasting: .seconds(200)), quick],
            store: ObjectStore<Pod>(), initialSync: .list)
        #expect(script.requests == ["list"] + Array(repeating: "watch 10", count: 8))
        let waits = script.clock.waits
        let bases: [Duration] = [.milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(100), .milliseconds(100), .milliseconds(20)]
        #expect(waits.count == bases.count, "\(waits)")
        for (wait, base) in zip(waits, bases) {
            #expect(wait >= base && wait < base * 1.5, "\(wait) for a base of \(base)")
        }
    }

    /// A failing watch is re-opened from the last resourceVersion it reached, after the backoff;
    /// a failing list is retried after the backoff too.
    @Test func failuresBackOffAndResumeWhereTheyWere() async throws {
        let lost = APIError.transport(TransportError(kind: .connectionLost, message: "reset", url: "https://127.0.0.1"))
        let script = try await Self.play([
            .fail(lost), .list([], resourceVersion: "10"),
            .watch([.added(Self.pod("a", rv: 12))], lasting: .seconds(2)), .fail(lost),
        ], store: ObjectStore<Pod>(), initialSync: .list)
        #expect(script.requests == ["list", "list", "watch 10", "watch 12", "watch 12"])
        #expect(script.clock.waits.count == 2)
    }
}
