import Foundation
import HTTPServer
import KubeModel
import Synchronization
import Testing
import TestSupport
import WatchCache
@testable import APIClient

/// The reflector's state machine against a scripted server: list → watch (events split across
/// chunks, bookmarks) → 410 → relist and atomic swap → watch again; dropped streams → re-watch.
@Suite struct ReflectorTests {
    final class Script: Sendable {
        let lists = Atomic<Int>(0)
        let watches = Mutex<[String]>([])  // resourceVersions asked for
    }

    @Test func listWatchBookmarkGoneRelist() async throws {
        let script = Script()
        let server = try TLSTestServer { request, writer in
            if request.query("watch") == nil {
                let n = script.lists.add(1, ordering: .relaxed).newValue
                let items = n == 1
                    ? [ClientOverHTTPTests.podJSON("a", rv: 5), ClientOverHTTPTests.podJSON("gone-later", rv: 6)]
                    : [ClientOverHTTPTests.podJSON("a", rv: 5), ClientOverHTTPTests.podJSON("c", rv: 19)]
                ClientOverHTTPTests.json(writer, 200, #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"\#(n == 1 ? 10 : 20)"},"items":[\#(items.joined(separator: ","))]}"#)
                return
            }
            let rv = request.query("resourceVersion") ?? ""
            let count = script.watches.withLock { $0.append(rv); return $0.count }
            #expect(request.query("allowWatchBookmarks") == "true")
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            switch count {
            case 1:
                // One event split mid-line across three writes, then a bookmark, then the server's timeout.
                let added = #"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("b", rv: 11))}"# + "\n"
                let bytes = Array(added.utf8)
                writer.writeChunk(Array(bytes[0..<10]))
                usleep(5_000)
                writer.writeChunk(Array(bytes[10..<40]))
                writer.writeChunk(Array(bytes[40...]) + Array(#"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"15"}}}"#.utf8) + [10])
                writer.endStream()
            case 2:
                // Re-watch from the bookmark; the history has been compacted: 200 + ERROR 410.
                writer.writeChunk(Array(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 15 (18)","reason":"Expired","code":410}}"#.utf8) + [10])
                writer.endStream()
            case 3:
                // After the relist: the stream breaks mid-line.
                writer.writeChunk(Array(#"{"type":"MODIFIED","obj"#.utf8))
                writer.abortConnection()
            default:
                while !writer.isClosed { usleep(20_000) }
            }
        }
        let changes = PodChangeLog()
        let store = ObjectStore<Pod>(onChange: changes.record)
        let client = KubeClient(config: server.clusterConfig())
        let reflector = Reflector(
            client: client, store: store,
            options: .init(watchTimeoutSeconds: 5...5, backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100), seed: 1),
                           initialSync: .list))
        let task = Task { await reflector.run() }
        for _ in 0..<500 where script.watches.withLock({ $0.count }) < 4 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value

        #expect(script.lists.load(ordering: .relaxed) == 2)
        #expect(script.watches.withLock { $0 } == ["10", "15", "20", "20"])
        #expect(Set(store.list().map(\.metadata.name)) == ["a", "c"])
        #expect(store.hasSynced)
        let log = changes.entries
        #expect(log.contains("+b"))
        #expect(log.contains("-gone-later"))
        #expect(log.contains("-b"))  // b vanished in the relist: reported as deleted
        #expect(log.contains("+c"))
    }

    /// A server that closes every watch at once without an event (client-go's short-watch
    /// guard): the reflector backs off, growing, instead of reconnecting in a tight loop.
    @Test func aWatchClosedAtOnceIsBackedOff() async throws {
        let script = Script()
        let server = try TLSTestServer { request, writer in
            if request.query("watch") == nil {
                script.lists.add(1, ordering: .relaxed)
                ClientOverHTTPTests.json(writer, 200, #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[]}"#)
                return
            }
            script.watches.withLock { $0.append(request.query("resourceVersion") ?? "") }
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            writer.endStream()
        }
        let client = KubeClient(config: server.clusterConfig())
        let reflector = Reflector(
            client: client, store: ObjectStore<Pod>(),
            options: .init(watchTimeoutSeconds: 5...5, backoff: Backoff(initial: .milliseconds(20), maximum: .seconds(1), seed: 7),
                           initialSync: .list))
        let task = Task { await reflector.run() }
        try await Task.sleep(for: .milliseconds(1500))
        task.cancel()
        await task.value
        // Waits of 20, 40, 80, 160, 320, 640 ms (+ up to 50 %): at most 7 watches in 1.5 s, where
        // a loop without the guard opens hundreds.
        let watches = script.watches.withLock { $0 }
        #expect(watches.count >= 3 && watches.count <= 7, "\(watches.count) watches")
        #expect(Set(watches) == ["10"])
        #expect(script.lists.load(ordering: .relaxed) == 1)
    }

    /// The same guard over 1,000 closes in a row: every reconnect waits (the backoff grows to its
    /// cap and stays there), none follows the previous close at once, and nothing is relisted.
    @Test func aThousandWatchesClosedAtOnceNeverMakeABusyLoop() async throws {
        let script = Script()
        let times = Mutex<[ContinuousClock.Instant]>([])
        let server = try TLSTestServer { request, writer in
            if request.query("watch") == nil {
                script.lists.add(1, ordering: .relaxed)
                ClientOverHTTPTests.json(writer, 200, #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[]}"#)
                return
            }
            times.withLock { $0.append(.now) }
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            writer.endStream()
        }
        let reflector = Reflector(
            client: KubeClient(config: server.clusterConfig()), store: ObjectStore<Pod>(),
            options: .init(watchTimeoutSeconds: 5...5, backoff: Backoff(initial: .milliseconds(1), maximum: .milliseconds(2), seed: 11),
                           initialSync: .list))
        let task = Task { await reflector.run() }
        for _ in 0..<3000 where times.withLock({ $0.count }) < 1000 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value
        let seen = times.withLock { $0 }
        #expect(seen.count >= 1000)
        // After the first doubling every wait is at least the 2 ms cap.
        let gaps = zip(seen.dropFirst(), seen).map { $0 - $1 }.dropFirst(5)
        #expect(gaps.allSatisfy { $0 >= .milliseconds(2) }, "shortest gap \(gaps.min() ?? .zero)")
        #expect(script.lists.load(ordering: .relaxed) == 1)
    }
}
