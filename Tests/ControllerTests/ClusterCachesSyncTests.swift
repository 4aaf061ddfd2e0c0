import APIClient
import Controller
import Foundation
import KubeSim
import Logging
import Testing
import TestSupport
import Transport
import WatchCache

/// The controller's caches (one reflector per kind and namespace) fill by streaming watch, by
/// paged LIST when told to, and by paged LIST when the server refuses or ignores the stream —
/// asked once per resource and reflector, not on every relist.
@Suite struct ClusterCachesSyncTests {
    @Test(arguments: [
        (WatchListSupport.enabled, InitialSync.stream), (.enabled, .list), (.rejected, .stream), (.ignored, .stream),
    ])
    func cachesSync(_ support: WatchListSupport, _ initialSync: InitialSync) async throws {
        let sim = try SimServer.start(bookmarkInterval: 0.2)
        defer { sim.stop() }
        sim.api.watchList = support
        let tls = TLSSettings(certificateAuthority: .pem(Array((sim.certificateAuthorityPEM ?? "").utf8)))
        let client = KubeClient(config: ClusterConfig(server: sim.url, tls: tls, token: .fixed(sim.adminToken), origin: "test"))
        for ns in ["a", "b"] {
            _ = try await client.create(.namespaces, namespace: nil, body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#.utf8))
            for i in 0..<3 {
                let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p\#(i)","namespace":"\#(ns)"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}"#
                _ = try await client.create(.pods, namespace: ns, body: Array(pod.utf8))
            }
        }
        let caches = ClusterCaches(signal: ChangeSignal())
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let task = Task { [logger] in
            await caches.run(client: client, namespaces: ["a", "b"], initialSync: initialSync,
                             observer: NoReflectorObserver(), logger: logger)
        }
        defer { task.cancel() }
        // Every reflector's part: a store filled by several reflectors says `hasSynced` after the first.
        func complete() -> Bool { caches.hasSynced && caches.pods.count == 6 && caches.namespaces.count == 2 }
        let start = ContinuousClock.now
        while !complete(), ContinuousClock.now - start < .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(complete())

        let log = sim.requestLog.all
        let listed = Set(log.filter { $0.verb == "list" }.map(\.resource))
        let refused = log.filter { $0.verb == "watch" && $0.code == 422 }
        let kinds: Set<String> = ["pods", "namespaces", "replicasets", "deployments", "statefulsets", "daemonsets",
                                  "replicationcontrollers", "jobs"]
        if support == .enabled && initialSync == .stream {
            #expect(listed.isEmpty)
        } else {
            #expect(listed == kinds)
        }
        if support == .rejected {
            // Two reflectors per resource (namespaces a and b) may both ask before the answer is known.
            for kind in kinds { #expect((1...2).contains(refused.filter { $0.resource == kind }.count), "\(kind)") }
        } else {
            #expect(refused.isEmpty)
        }
    }
}
