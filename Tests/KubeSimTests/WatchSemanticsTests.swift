import Foundation
import KubeSim
import Testing
import TestSupport

/// Watch streams over HTTP: framing and semantics checked against the golden streams.
@Suite("Watch semantics")
struct WatchSemanticsTests {
    static func pod(_ name: String, labels: JSONValue = ["app": "web"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "golden", "labels": labels],
         "spec": ["containers": [["name": "c", "image": "nginx"]]]]
    }

    static func start(historyCapacity: Int = 1000, bookmarkInterval: TimeInterval = 60) throws -> KubeSim {
        try SimServer.start(tls: false, bookmarkInterval: bookmarkInterval, historyCapacity: historyCapacity,
                            objects: [["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "golden"]]])
    }

    static func events(_ response: RawHTTPClient.Response) throws -> [JSONValue] {
        try response.chunks.map { chunk in
            #expect(chunk.last == UInt8(ascii: "\n"))
            #expect(chunk.filter { $0 == UInt8(ascii: "\n") }.count == 1, "one event per chunk")
            return try JSONParser.parse(chunk)
        }
    }

    static func goldenLines(_ name: String) throws -> [JSONValue] {
        let text = String(decoding: try Fixtures.golden("watch/\(name)"), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test func tooOldResourceVersionIs200ThenOneExpiredError() throws {
        let sim = try Self.start(historyCapacity: 5)
        defer { sim.stop() }
        for i in 0..<10 { try sim.store.create(ResourceCatalog.pods, namespace: "golden", object: Self.pod("p\(i)")) }
        let client = try RawHTTPClient(port: sim.port)
        let response = try #require(client.request("GET", "/api/v1/namespaces/golden/pods?watch=1&resourceVersion=1", token: sim.adminToken))
        #expect(response.status == 200)
        #expect(response.terminated)
        let events = try Self.events(response)
        let golden = try Self.goldenLines("pods-too-old-rv.jsonl")
        #expect(events.count == golden.count)
        var expected = golden[0]
        var actual = try #require(events.first)
        let message = actual.value(at: ["object", "message"])?.stringValue ?? ""
        #expect(message == "too old resource version: 1 (\(sim.store.oldestResourceVersion))")
        expected.remove(at: ["object", "message"])
        actual.remove(at: ["object", "message"])
        #expect(actual == expected)
    }

    @Test func fromResourceVersionWithBookmarksUntilTimeout() throws {
        let sim = try Self.start(bookmarkInterval: 0.2)
        defer { sim.stop() }
        let start = sim.store.resourceVersion
        let client = try RawHTTPClient(port: sim.port)
        client.send("GET", "/api/v1/namespaces/golden/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=\(start)",
                    token: sim.adminToken)
        try sim.store.create(ResourceCatalog.pods, namespace: "golden", object: Self.pod("a"))
        try sim.store.modify(ResourceCatalog.pods, namespace: "golden", name: "a", subresource: .status) {
            $0.set("Running", at: ["status", "phase"])
        }
        try sim.store.delete(ResourceCatalog.pods, namespace: "golden", name: "a")
        let response = try #require(client.receive())
        #expect(response.status == 200)
        #expect(response.terminated, "timeoutSeconds ends the stream with the terminating chunk")
        let events = try Self.events(response)
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(Array(types.prefix(3)) == ["ADDED", "MODIFIED", "DELETED"])
        #expect(types.dropFirst(3).allSatisfy { $0 == "BOOKMARK" } && types.count > 3)
        #expect(events[2].value(at: ["object", "metadata", "resourceVersion"])?.stringValue == String(start + 3))
        // A bookmark looks exactly like the real one, resourceVersion aside.
        let goldenBookmark = try #require(try Self.goldenLines("pods-from-rv.jsonl").last)
        var bookmark = try #require(events.last)
        #expect(bookmark.value(at: ["object", "metadata", "resourceVersion"])?.stringValue == String(start + 3))
        bookmark.set(goldenBookmark.value(at: ["object", "metadata", "resourceVersion"])!, at: ["object", "metadata", "resourceVersion"])
        #expect(bookmark == goldenBookmark)
    }

    @Test func sendInitialEventsThenEndBookmark() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        try sim.load(["c", "a", "b"].map { Self.pod($0) })
        let client = try RawHTTPClient(port: sim.port)
        let response = try #require(client.request(
            "GET", "/api/v1/namespaces/golden/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1",
            token: sim.adminToken))
        let events = try Self.events(response)
        #expect(events.prefix(3).map { $0.value(at: ["object", "metadata", "name"])?.stringValue } == ["a", "b", "c"])
        #expect(events.prefix(3).allSatisfy { $0["type"]?.stringValue == "ADDED" })
        let end = events[3]
        let goldenEnd = try Self.goldenLines("pods-sendinitialevents.jsonl")[4]
        #expect(end.value(at: ["object", "metadata", "annotations"]) == goldenEnd.value(at: ["object", "metadata", "annotations"]))
        #expect(end.value(at: ["object", "metadata", "resourceVersion"])?.stringValue == String(sim.store.resourceVersion))
        #expect(Array(end["object"]?.objectValue?.keys ?? []) == Array(goldenEnd["object"]?.objectValue?.keys ?? []))
    }

    @Test func selectorTransitionsBecomeAddedAndDeleted() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        try sim.store.create(ResourceCatalog.pods, namespace: "golden", object: Self.pod("x", labels: ["app": "other"]))
        let start = sim.store.resourceVersion
        let client = try RawHTTPClient(port: sim.port)
        client.send("GET", "/api/v1/pods?watch=true&labelSelector=app%3Dweb&timeoutSeconds=1&resourceVersion=\(start)", token: sim.adminToken)
        try sim.store.modify(ResourceCatalog.pods, namespace: "golden", name: "x") { $0.set("web", at: ["metadata", "labels", "app"]) }
        try sim.store.modify(ResourceCatalog.pods, namespace: "golden", name: "x") { $0.set("1", at: ["metadata", "labels", "v"]) }
        try sim.store.modify(ResourceCatalog.pods, namespace: "golden", name: "x") { $0.set("db", at: ["metadata", "labels", "app"]) }
        let response = try #require(client.receive())
        #expect(try Self.events(response).compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
    }

    @Test func droppedAndCompactedWatches() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        client.send("GET", "/api/v1/pods?watch=true&resourceVersion=\(sim.store.resourceVersion)", token: sim.adminToken)
        try sim.store.create(ResourceCatalog.pods, namespace: "golden", object: Self.pod("d"))
        let first = try #require(client.receive(maxChunks: 1))
        #expect(first.chunks.count == 1)
        sim.dropWatches()
        let rest = client.receive()
        #expect(rest == nil, "the connection is closed without a terminating chunk")
        // After compaction, the old resourceVersion is answered with the 410 ERROR event.
        let old = sim.store.resourceVersion
        try sim.store.create(ResourceCatalog.pods, namespace: "golden", object: Self.pod("e"))
        sim.compact()
        let again = try RawHTTPClient(port: sim.port)
        let expired = try #require(again.request("GET", "/api/v1/pods?watch=true&resourceVersion=\(old - 1)", token: sim.adminToken))
        #expect(try Self.events(expired).first?.value(at: ["object", "code"])?.intValue == 410)
    }
}
