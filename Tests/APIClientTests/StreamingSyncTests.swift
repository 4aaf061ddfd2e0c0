import Foundation
import HTTPServer
import KubeModel
import KubeSim
import Synchronization
import Testing
import TestSupport
import Transport
import WatchCache
@testable import APIClient

/// The reflector's streaming initial sync (WatchList): the state as ADDED events, the store
/// swapped at the `k8s.io/initial-events-end` bookmark, 410 during the stream → sync again, and
/// a server that refuses or ignores the parameters → paged LIST, remembered per resource.
@Suite struct StreamingSyncTests {
    static let fastBackoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(100), seed: 1)

    static func eventually(_ seconds: Double = 20, _ condition: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    static func client(_ sim: KubeSim) -> KubeClient {
        let tls = TLSSettings(certificateAuthority: .pem(Array((sim.certificateAuthorityPEM ?? "").utf8)))
        return KubeClient(config: ClusterConfig(server: sim.url, tls: tls, token: .fixed(sim.adminToken), origin: "test"))
    }

    static func createPod(_ client: KubeClient, _ name: String, namespace: String = "default") async throws {
        let body = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}"#
        _ = try await client.create(.pods, namespace: namespace, body: Array(body.utf8))
    }

    /// The reflector's store as the server has it: "namespace/name@resourceVersion" of every pod.
    static func serverPods(_ sim: KubeSim) -> Set<String> {
        Set(sim.store.objects(ResourceCatalog.pods).map { "\($0.namespace)/\($0.name)@\($0.resourceVersion)" })
    }

    static func cachedPods(_ store: WatchCache.ObjectStore<Pod>) -> Set<String> {
        Set(store.list().map { "\($0.metadata.namespace ?? "")/\($0.metadata.name)@\($0.metadata.resourceVersion ?? "")" })
    }

    /// Makes the reflector's next watch start from a compacted resourceVersion (410): its watch
    /// hears nothing while a pod is created and the history compacted, then is cut.
    static func forceGone(_ sim: KubeSim, _ client: KubeClient, creating name: String) async throws {
        sim.faults.stallWatches = true
        try await Task.sleep(for: .milliseconds(700))  // past the server's wait for the next event (≤ 0.5 s)
        try await Self.createPod(client, name)
        sim.store.compact()
        sim.store.interruptWatches()
        sim.faults.stallWatches = false
    }

    final class Syncs: ReflectorObserver {
        let relists = Atomic<Int>(0)
        let expired = Atomic<Int>(0)
        func relisted(resource: String, objects: Int) { relists.add(1, ordering: .relaxed) }
        func watchRestarted(resource: String, reason: String) {
            if reason == "expired" { expired.add(1, ordering: .relaxed) }
        }
    }

    static func podRequests(_ sim: KubeSim, verb: String) -> [RequestRecord] {
        sim.requestLog.all.filter { $0.verb == verb && $0.resource == "pods" }
    }

    @Test func streamsTheStateAndStaysEqualToTheServer() async throws {
        let sim = try SimServer.start()
        defer { sim.stop() }
        let client = Self.client(sim)
        for i in 0..<30 { try await Self.createPod(client, "pod-\(i)") }
        let store = WatchCache.ObjectStore<Pod>()
        let support = StreamingSyncSupport()
        let syncs = Syncs()
        let reflector = Reflector(client: client, store: store,
                                  options: .init(backoff: Self.fastBackoff, streamingSupport: support), observer: syncs)
        let task = Task { await reflector.run() }
        defer { task.cancel() }
        #expect(try await Self.eventually { store.hasSynced })
        #expect(store.count == 30)
        #expect(Self.podRequests(sim, verb: "list").isEmpty)  // no LIST at all
        #expect(support.reason("pods") == nil)

        // Changes after the sync reach the store through the watch that follows the end bookmark.
        for i in 30..<35 { try await Self.createPod(client, "pod-\(i)") }
        try await client.delete(.pods, namespace: "default", name: "pod-3")
        _ = try await client.patch(.pods, namespace: "default", name: "pod-4", type: .merge,
                                   body: Array(#"{"metadata":{"labels":{"changed":"yes"}}}"#.utf8))
        #expect(try await Self.eventually { Self.cachedPods(store) == Self.serverPods(sim) })
        #expect(store.count == 34)
        #expect(Self.podRequests(sim, verb: "list").isEmpty)

        #expect(syncs.relists.load(ordering: .relaxed) == 1)

        // A compacted history: the watch gets 410, and the state is streamed again.
        try await Self.forceGone(sim, client, creating: "after-compaction")
        #expect(try await Self.eventually { syncs.relists.load(ordering: .relaxed) == 2 })
        #expect(syncs.expired.load(ordering: .relaxed) == 1)
        #expect(try await Self.eventually { Self.cachedPods(store) == Self.serverPods(sim) })
        #expect(store.count == 35)
        #expect(Self.podRequests(sim, verb: "list").isEmpty)
    }

    @Test(arguments: [WatchListSupport.rejected, .ignored])
    func aServerWithoutSupportIsListedInPagesAndRemembered(_ support: WatchListSupport) async throws {
        let sim = try SimServer.start(bookmarkInterval: 0.2)
        defer { sim.stop() }
        sim.api.watchList = support
        let client = Self.client(sim)
        for i in 0..<12 { try await Self.createPod(client, "pod-\(i)") }
        let store = WatchCache.ObjectStore<Pod>()
        let answers = StreamingSyncSupport()
        let reflector = Reflector(client: client, store: store,
                                  options: .init(pageSize: 5, backoff: Self.fastBackoff, streamingSupport: answers))
        let task = Task { await reflector.run() }
        defer { task.cancel() }
        #expect(try await Self.eventually { store.hasSynced })
        #expect(Self.cachedPods(store) == Self.serverPods(sim))
        #expect(Self.podRequests(sim, verb: "list").count == 3)  // 12 pods in pages of 5
        let reason = try #require(answers.reason("pods"))
        switch support {
        case .rejected: #expect(reason.contains("422") && reason.contains("sendInitialEvents"))
        case .ignored: #expect(reason.contains("initial-events-end"))
        case .enabled: Issue.record("not a case of this test")
        }
        let streamingAttempts = Self.podRequests(sim, verb: "watch").count
        #expect(streamingAttempts >= 1)

        // A relist after 410 lists straight away: the server's answer is remembered.
        try await Self.forceGone(sim, client, creating: "late")
        #expect(try await Self.eventually { Self.podRequests(sim, verb: "list").count == 6 })
        #expect(try await Self.eventually { Self.cachedPods(store) == Self.serverPods(sim) && store.count == 13 })
        if support == .rejected {
            #expect(Self.podRequests(sim, verb: "watch").filter { $0.code == 422 }.count == 1)
        }
    }

    @Test func anAnswerIsRecordedOncePerResource() {
        let support = StreamingSyncSupport()
        #expect(support.markUnsupported("pods", reason: "422"))
        #expect(!support.markUnsupported("pods", reason: "again"))  // logged the first time only
        #expect(support.reason("pods") == "422")
        #expect(!support.isUnsupported("apps/v1/deployments"))
    }

    /// A scripted server: the first streamed sync ends in 410 after two ADDED events; nothing of
    /// it reaches the store. The second one ends with the end bookmark; the store is swapped in
    /// one step and watched from the bookmark's resourceVersion.
    @Test func goneDuringTheInitialStreamSyncsAgain() async throws {
        let streams = Atomic<Int>(0)
        let watches = Mutex<[String]>([])  // resourceVersions of the plain watches
        let queries = Mutex<[[String: String]]>([])
        let store = WatchCache.ObjectStore<Pod>()
        let storeSeenDuringStream = Mutex<[Int]>([])
        let server = try TLSTestServer { request, writer in
            #expect(request.query("watch") == "1")  // never a LIST
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            func send(_ line: String) { writer.writeChunk(Array((line + "\n").utf8)) }
            if request.query("sendInitialEvents") == "true" {
                queries.withLock { $0.append(Dictionary(request.queryItems.map { ($0.name, $0.value) }) { a, _ in a }) }
                let n = streams.add(1, ordering: .relaxed).newValue
                if n == 1 {
                    send(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("a", rv: 5))}"#)
                    send(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("partial", rv: 6))}"#)
                    usleep(100_000)
                    storeSeenDuringStream.withLock { $0.append(store.count) }
                    send(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (7)","reason":"Expired","code":410}}"#)
                } else {
                    send(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("a", rv: 5))}"#)
                    send(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("c", rv: 19))}"#)
                    send(#"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"20","annotations":{"k8s.io/initial-events-end":"true"}}}}"#)
                }
                writer.endStream()
                return
            }
            watches.withLock { $0.append(request.query("resourceVersion") ?? "") }
            send(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("d", rv: 21))}"#)
            while !writer.isClosed { usleep(20_000) }
        }
        let client = KubeClient(config: server.clusterConfig())
        let reflector = Reflector(client: client, store: store, options: .init(backoff: Self.fastBackoff))
        let task = Task { await reflector.run() }
        #expect(try await Self.eventually { store.count == 3 })
        task.cancel()
        await task.value

        #expect(streams.load(ordering: .relaxed) == 2)
        #expect(storeSeenDuringStream.withLock { $0 } == [0])  // the partial stream never reached the store
        #expect(Set(store.list().map(\.metadata.name)) == ["a", "c", "d"])
        #expect(watches.withLock { $0 } == ["20"])
        for query in queries.withLock({ $0 }) {
            #expect(query["sendInitialEvents"] == "true")
            #expect(query["resourceVersionMatch"] == "NotOlderThan")
            #expect(query["allowWatchBookmarks"] == "true")
            #expect(query["resourceVersion"] == nil)  // a consistent read, as client-go after a 410
        }
    }
}
