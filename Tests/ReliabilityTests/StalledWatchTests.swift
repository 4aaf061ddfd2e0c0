import APIClient
import Foundation
import KubeModel
import KubeSim
import Synchronization
import Testing
import Transport
import WatchCache

/// A watch that asked for bookmarks hears from the server at least once a bookmark period, so
/// silence of two periods means the stream is stalled: it is dropped and re-established within
/// the client's `watchStallTimeoutSeconds` (plus libcurl's speed window of about 5 s), not after
/// the watch's own timeout + 30 s.
@Suite(.serialized) struct StalledWatchTests {
    final class Restarts: ReflectorObserver {
        let log = Mutex<[(reason: String, at: ContinuousClock.Instant)]>([])
        func relisted(resource: String, objects: Int) {}
        func watchRestarted(resource: String, reason: String) { log.withLock { $0.append((reason, .now)) } }
        var count: Int { log.withLock { $0.count } }
        var first: (reason: String, at: ContinuousClock.Instant)? { log.withLock { $0.first } }
    }

    static func eventually(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func aQuietWatchStaysUpAndAStalledOneIsReestablishedWithinTheBound() async throws {
        var options = KubeSim.Options()
        options.bookmarkInterval = 0.2
        let sim = try KubeSim(options: options)
        try sim.start()
        defer { sim.stop() }
        let tls = TLSSettings(certificateAuthority: .pem(Array((sim.certificateAuthorityPEM ?? "").utf8)))
        let config = ClusterConfig(server: sim.url, tls: tls, token: .fixed(sim.adminToken), origin: "test")
        let stallBound = 3  // seconds; well above a bookmark period even on a loaded machine
        let client = KubeClient(config: config, watchStallTimeoutSeconds: stallBound)
        _ = try await client.create(.namespaces, namespace: nil, body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"quiet"}}"#.utf8))

        let store = ObjectStore<Pod>()
        let restarts = Restarts()
        let reflector = Reflector(
            client: client, store: store,
            options: .init(namespace: "quiet", watchTimeoutSeconds: 300...300,
                           backoff: Backoff(initial: .milliseconds(100), maximum: .milliseconds(200), seed: 1)),
            observer: restarts)
        let task = Task { await reflector.run() }
        defer { task.cancel() }
        #expect(try await Self.eventually(20) { store.hasSynced })

        // Nothing happens in the namespace for longer than the stall bound (and libcurl's window):
        // the periodic bookmarks keep the watch up.
        try await Task.sleep(for: .seconds(Double(stallBound) + 7))
        #expect(restarts.count == 0, "a quiet watch with bookmarks was dropped: \(restarts.log.withLock { $0.map(\.reason) })")

        // The stream stalls: no events, no bookmarks, the connection stays open.
        sim.faults.stallWatches = true
        let stalledAt = ContinuousClock.now
        #expect(try await Self.eventually(60) { restarts.count > 0 })
        let noticed = try #require(restarts.first)
        #expect(noticed.reason == "error")
        let bound = Duration.seconds(stallBound + 5 + 3)  // the stall bound, libcurl's speed window, slack
        #expect(noticed.at - stalledAt < bound, "stall noticed after \(noticed.at - stalledAt)")

        // Once the server talks again, the re-established watch delivers what happened.
        sim.faults.stallWatches = false
        _ = try await client.create(.pods, namespace: "quiet", body: Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"after-stall","namespace":"quiet"},"spec":{"containers":[{"name":"app","image":"example/app:1"}]}}"#.utf8))
        #expect(try await Self.eventually(20) { store.list().contains { $0.metadata.name == "after-stall" } })
    }

    @Test func theSimulatorSendsABookmarkEveryPeriodAndOneBeforeTheTimeout() {
        let start = Date(timeIntervalSince1970: 1_000)
        // Every 60 s while the deadline is far; 2 s before a deadline that comes first.
        #expect(WatchBookmarkSchedule.next(after: start, deadline: start + 300, interval: 60) == start + 60)
        #expect(WatchBookmarkSchedule.next(after: start, deadline: start + 30, interval: 60) == start + 28)
        #expect(WatchBookmarkSchedule.next(after: start + 28, deadline: start + 30, interval: 60) == start + 88)
    }
}
