import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Testing
import TestSupport
import Transport
import WatchCache

/// A discovered kind (Argo Rollouts) is read only where it is served and permitted: not served
/// (discovery 404) and forbidden (403 on the probe) are answers, not errors, and the caches sync
/// without it; served and permitted, it is watched.
@Suite struct WorkloadKindAvailabilityTests {
    static let spec = WorkloadKindRegistry.argoRollout

    func client(_ sim: KubeSim, token: String) -> KubeClient {
        let tls = TLSSettings(certificateAuthority: .pem(Array((sim.certificateAuthorityPEM ?? "").utf8)))
        return KubeClient(config: ClusterConfig(server: sim.url, tls: tls, token: .fixed(token), origin: "test"))
    }

    @Test func notServedForbiddenAndAvailable() async throws {
        let plain = try SimServer.start()
        defer { plain.stop() }
        #expect(await WorkloadKindAvailability.check(Self.spec, client: client(plain, token: plain.adminToken), namespace: nil) == .notServed)

        let served = try SimServer.start(crds: [ResourceCatalog.argoRollouts])
        defer { served.stop() }
        #expect(await WorkloadKindAvailability.check(Self.spec, client: client(served, token: served.adminToken), namespace: nil) == .available)
        served.api.tokens.add("pods-only", grant: TokenGrant(user: "pods-only", rules: [
            PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"]),
        ]))
        let forbidden = await WorkloadKindAvailability.check(Self.spec, client: client(served, token: "pods-only"), namespace: nil)
        guard case .forbidden = forbidden else {
            Issue.record("expected forbidden, got \(forbidden)")
            return
        }
    }

    @Test(arguments: [false, true])
    func cachesSyncWithoutAnUnservedKindAndWatchAServedOne(served: Bool) async throws {
        let sim = try SimServer.start(crds: served ? [ResourceCatalog.argoRollouts] : [])
        defer { sim.stop() }
        let caches = ClusterCaches(signal: ChangeSignal())
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let client = client(sim, token: sim.adminToken)
        let task = Task { [logger] in await caches.run(client: client, namespaces: nil, observer: NoReflectorObserver(), logger: logger) }
        defer { task.cancel() }
        let start = ContinuousClock.now
        while !caches.hasSynced, ContinuousClock.now - start < .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(caches.hasSynced)
        #expect(caches.isWatching(.argoRollout) == served)
        let rolloutRequests = sim.requestLog.all.filter { $0.resource == "rollouts" }
        #expect(rolloutRequests.isEmpty == !served, "\(rolloutRequests)")
        #expect(sim.requestLog.all.filter { $0.path == "/apis/argoproj.io/v1alpha1" }.count == 1, "asked once")
        let listed = caches.snapshot().listed(ArgoRollout.self)
        #expect(served ? listed?.isEmpty == true : listed == nil)
    }
}
