import APIClient
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Observe
import Testing
import TestSupport
import Transport
import WatchCache

/// `/debug/caches`: the watch caches' per-resource count and digest over uid+resourceVersion,
/// equal to what kube-sim's `/kube-sim/digest` computes from its own objects exactly when the
/// caches hold the server's objects at the server's versions.
@Suite struct CacheDigestTests {
    @Test func digestIgnoresOrderAndSeesEveryChange() {
        var forward = CacheDigest(resource: "pods"), backward = CacheDigest(resource: "pods")
        let objects = (0..<50).map { ("uid-\($0)", "\(1000 + $0)") }
        for (uid, rv) in objects { forward.add(uid: uid, resourceVersion: rv) }
        for (uid, rv) in objects.reversed() { backward.add(uid: uid, resourceVersion: rv) }
        #expect(forward == backward)
        #expect(forward.line == "pods 50 \(forward.hex)" && forward.hex.count == 16)

        var modified = CacheDigest(resource: "pods"), missing = CacheDigest(resource: "pods")
        for (index, (uid, rv)) in objects.enumerated() {
            modified.add(uid: uid, resourceVersion: index == 7 ? "9999" : rv)
            if index != 7 { missing.add(uid: uid, resourceVersion: rv) }
        }
        #expect(modified.count == forward.count && modified.value != forward.value)
        #expect(missing.count == 49 && missing.value != forward.value)
        // The separator: uid "ab" at "c" is not uid "a" at "bc".
        var left = CacheDigest(resource: "pods"), right = CacheDigest(resource: "pods")
        left.add(uid: "ab", resourceVersion: "c")
        right.add(uid: "a", resourceVersion: "bc")
        #expect(left != right)
    }

    @Test func routeShowsDigestsOnly() {
        var digest = CacheDigest(resource: "pods")
        digest.add(uid: "0f6e3c3a-6c1e-4c5e-9a59-3d0c2c9d1a10", resourceVersion: "42")
        let routes = ObservabilityRoutes(health: HealthState(), metrics: WardenMetrics(), cacheDigests: { [digest] in [digest] })
        let response = routes.respond(to: EndpointRequest(method: "GET", path: "/debug/caches"))
        #expect(response.status == 200)
        #expect(response.bodyText == "pods 1 \(digest.hex)\n")
        #expect(!response.bodyText.contains("0f6e3c3a"))
        #expect(routes.respond(to: EndpointRequest(method: "POST", path: "/debug/caches")).status == 405)
    }

    @Test func cachesMatchTheServerAfterChanges() async throws {
        let sim = try SimServer.start(bookmarkInterval: 0.2)
        defer { sim.stop() }
        let tls = TLSSettings(certificateAuthority: .pem(Array((sim.certificateAuthorityPEM ?? "").utf8)))
        let client = KubeClient(config: ClusterConfig(server: sim.url, tls: tls, token: .fixed(sim.adminToken), origin: "test"))
        _ = try await client.create(.namespaces, namespace: nil, body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}"#.utf8))
        for i in 0..<4 {
            let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p\#(i)","namespace":"a"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}"#
            _ = try await client.create(.pods, namespace: "a", body: Array(pod.utf8))
        }
        let caches = ClusterCaches(signal: ChangeSignal())
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let task = Task { [logger] in
            await caches.run(client: client, namespaces: nil, observer: NoReflectorObserver(), logger: logger)
        }
        defer { task.cancel() }
        func serverLines() async throws -> [String] {
            let text = String(decoding: try await client.getRaw("/kube-sim/digest"), as: UTF8.self)
            return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("resourceVersion ") }
        }
        func cacheLines() -> [String] { caches.digests().map(\.line) }
        func converged() async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if caches.hasSynced, try await serverLines() == cacheLines() { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
        #expect(try await converged())
        #expect(cacheLines().first == "pods 4 \(caches.digests()[0].hex)")
        #expect(try await serverLines().count == 8)

        // A modification and a deletion: the digests differ until the caches have both.
        let before = cacheLines()
        try await client.patch(.pods, namespace: "a", name: "p1", type: .merge, body: Array(#"{"metadata":{"labels":{"x":"y"}}}"#.utf8))
        try await client.delete(.pods, namespace: "a", name: "p2")
        #expect(try await serverLines() != before)
        #expect(try await converged())
        #expect(cacheLines().first?.hasPrefix("pods 3 ") == true)
    }
}
