import Foundation
import HTTPServer
import KubeModel
import Synchronization
import Testing
import TestSupport
@testable import APIClient

/// A watch's events are decoded in the reader's task as it asks for them: every line arrives
/// whatever the chunking, and a reader that stops early — by returning from its loop, without
/// cancelling its task — stops the transfer instead of leaving it open until the server's timeout.
@Suite struct WatchEventStreamTests {
    /// Set by the server once the client has gone away.
    final class Closed: Sendable {
        private let flag = Atomic<Bool>(false)
        func set() { flag.store(true, ordering: .relaxed) }
        var isSet: Bool { flag.load(ordering: .relaxed) }

        /// Waits up to 5 s for it.
        func wait() async throws -> Bool {
            for _ in 0..<500 where !isSet { try await Task.sleep(for: .milliseconds(10)) }
            return isSet
        }
    }

    static func line(_ name: String, rv: Int) -> [UInt8] {
        Array(#"{"type":"MODIFIED","object":\#(ClientOverHTTPTests.podJSON(name, rv: rv))}"#.utf8) + [10]
    }

    /// Writes `events` in chunks of `chunkSize` bytes (lines split anywhere), then keeps the
    /// watch open with bookmarks until the client goes away, and records that it went.
    static func server(_ events: [UInt8], chunkSize: Int, closed: Closed? = nil, end: Bool = false) throws -> TLSTestServer {
        try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            var start = 0
            while start < events.count {
                let stop = min(events.count, start + chunkSize)
                guard writer.writeChunk(Array(events[start..<stop])) else { return }
                start = stop
            }
            if end {
                writer.endStream()
                return
            }
            let bookmark = Array(#"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"99"}}}"#.utf8) + [10]
            while writer.writeChunk(bookmark) { usleep(20_000) }
            closed?.set()
        }
    }

    static func names(_ events: [WatchEvent<Pod>]) -> [String] {
        events.compactMap { if case .modified(let pod) = $0 { pod.metadata.name } else { nil } }
    }

    @Test(arguments: [1, 7, 300, 1 << 16])
    func everyLineArrivesWhateverTheChunks(chunkSize: Int) async throws {
        // The last line has no newline: the server's end completes it.
        var body = (1...20).flatMap { Self.line("p\($0)", rv: $0) }
        body.removeLast()
        let server = try Self.server(body, chunkSize: chunkSize, end: true)
        let client = KubeClient(config: server.clusterConfig())
        var events: [WatchEvent<Pod>] = []
        for try await event in try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 5) {
            events.append(event)
        }
        #expect(Self.names(events) == (1...20).map { "p\($0)" })
        #expect(events.last?.resourceVersion == "20")
    }

    @Test func aReaderThatStopsEarlyStopsTheTransfer() async throws {
        let closed = Closed()
        let server = try Self.server(Self.line("a", rv: 2) + Self.line("b", rv: 3), chunkSize: 1 << 16, closed: closed)
        let client = KubeClient(config: server.clusterConfig())
        var first: String?
        for try await event in try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 300) {
            first = Self.names([event]).first
            break
        }
        #expect(first == "a")
        let serverSawClose = try await closed.wait()
        #expect(serverSawClose, "the watch's connection stayed open after its reader stopped")
    }

    @Test func anErrorEventEndsTheEventsAndTheTransfer() async throws {
        let closed = Closed()
        let gone = Array(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#.utf8) + [10]
        let server = try Self.server(Self.line("a", rv: 2) + gone + Self.line("after", rv: 9), chunkSize: 1 << 16, closed: closed)
        let client = KubeClient(config: server.clusterConfig())
        var events: [WatchEvent<Pod>] = []
        for try await event in try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 300) {
            events.append(event)
        }
        #expect(Self.names(events) == ["a"])
        guard case .error(let status)? = events.last else {
            Issue.record("the last event is \(String(describing: events.last)), not the ERROR")
            return
        }
        #expect(status.code == 410 && status.reason == "Expired")
        let serverSawClose = try await closed.wait()
        #expect(serverSawClose)
    }

    @Test func aLineThatIsNotAnEventThrowsAndEndsTheEvents() async throws {
        let server = try Self.server(Self.line("a", rv: 2) + Array("not json\n".utf8) + Self.line("b", rv: 3), chunkSize: 1 << 16)
        let client = KubeClient(config: server.clusterConfig())
        let events = try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 300)
        var iterator = events.makeAsyncIterator()
        #expect(Self.names([try #require(await iterator.next())]) == ["a"])
        await #expect { _ = try await iterator.next() } throws: { error in
            guard case .decoding(let what, _, _) = error as? APIError else { return false }
            return what == "watch event"
        }
        let afterTheError = try await iterator.next()
        #expect(afterTheError == nil)
    }

    @Test func aCancelledReaderGetsCancellationErrorNotTheEndOfTheWatch() async throws {
        let closed = Closed()
        let server = try Self.server(Self.line("a", rv: 2), chunkSize: 1 << 16, closed: closed)
        let client = KubeClient(config: server.clusterConfig())
        let sawFirst = Closed()
        let reader = Task {
            var events = 0
            for try await _ in try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 300) {
                events += 1
                sawFirst.set()
            }
            return events  // the watch ended as if the server had closed it
        }
        #expect(try await sawFirst.wait())
        reader.cancel()
        await #expect(throws: CancellationError.self) { _ = try await reader.value }
        let serverSawClose = try await closed.wait()
        #expect(serverSawClose)
    }
}
