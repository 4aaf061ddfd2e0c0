import APIClient
import Assess
import Controller
import Foundation
import KubeModel
import KubeSim
import Logging
import Observe
import Plan
import ReliabilitySuite
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// `--token-lifetime auto` end to end, in-cluster style: the controller reads its configuration
/// from a ServiceAccount directory whose token the test rotates by a `..data` swap, as the
/// kubelet does, and no lifetime is configured anywhere.
@Suite struct ClusterTokenLifetimeEndToEndTests {
    static let serviceAccount = "system:serviceaccount:token-warden:token-warden"

    /// A pod-bound token's JWT with these claims (the simulated server accepts it by its text).
    static func token(lifetime: Int64, warnAfter: Bool, serial: Int) throws -> String {
        let iat = Int64(Date().timeIntervalSince1970) - 60
        var kubernetes: [String: Any] = [
            "namespace": "token-warden", "pod": ["name": "token-warden-7f9c-x2k4p", "uid": "warden-pod-uid"],
            "serviceaccount": ["name": "token-warden", "uid": "warden-sa-uid"],
        ]
        if warnAfter { kubernetes["warnafter"] = iat + 3607 }
        let claims: [String: Any] = [
            "aud": ["https://kubernetes.default.svc"], "iss": "https://kubernetes.default.svc", "sub": serviceAccount,
            "iat": iat, "nbf": iat, "exp": iat + lifetime, "jti": "jti-\(serial)", "kubernetes.io": kubernetes,
        ]
        func b64url(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return b64url(Data(#"{"alg":"RS256"}"#.utf8)) + "." + b64url(try JSONSerialization.data(withJSONObject: claims)) + ".c2ln"
    }

    static func leaseAnnotation(_ sim: KubeSim) -> String? {
        sim.store.get(ResourceCatalog.leases, namespace: "token-warden", name: "token-warden")?.value
            .value(at: ["metadata", "annotations", ClusterTokenLifetime.leaseLifetimeAnnotation])?.stringValue
    }

    static func extensionOffEvents(_ sim: KubeSim) -> [JSONValue] {
        sim.store.objects(ResourceCatalog.events).map(\.value).filter { $0["reason"]?.stringValue == "TokenExtensionOff" }
    }

    @Test func detectsTheLifetimeFromItsOwnTokenAndFollowsARotation() async throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("token-warden")
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 2, ageDays: 75)
        scenario.deployment("shop", "api", replicas: 1, ageDays: 10)
        // A namespace that says its lifetime itself: annotations still override the detected value.
        scenario.namespace("pinned", annotations: ["token-warden.dev/token-lifetime": "365d"])
        scenario.deployment("pinned", "batch", replicas: 1, ageDays: 75)
        let sim = try SimServer.start(objects: scenario.objects)
        defer { sim.stop() }

        let eks = try Self.token(lifetime: 7_776_000, warnAfter: true, serial: 1)
        var controller = try InClusterController(sim: sim, token: eks, identity: "auto-e2e")
        let (runtime, cluster, latest, group, task) = (controller.runtime, controller.cluster, controller.latest, controller.group, controller.task)

        // The 90 d token: 75-day-old pods are at risk (15 d left < 30 d), 10-day-old ones are not.
        let atRisk = await Self.wait {
            latest.classification("shop", "web") == .atRisk && Self.leaseAnnotation(sim) == "90d"
        }
        #expect(atRisk, "web: \(String(describing: latest.classification("shop", "web"))), lease: \(Self.leaseAnnotation(sim) ?? "-")")
        #expect(latest.classification("shop", "api") == .ok)
        #expect(latest.classification("pinned", "batch") == .ok)
        #expect(runtime.tokenLifetime.current.source == .detected)
        #expect(String(decoding: runtime.metrics.exposition(), as: UTF8.self)
            .contains(#"token_warden_cluster_token_lifetime_seconds{source="detected"} 7776000"#))
        #expect(Self.extensionOffEvents(sim).isEmpty)

        // The kubelet rotates the token; the new one says extension is off.
        let off = try Self.token(lifetime: 3607, warnAfter: false, serial: 2)
        try controller.rotate(to: off)
        let unprotectable = await Self.wait {
            latest.classification("shop", "web") == .unprotectable && latest.classification("shop", "api") == .unprotectable
                && Self.leaseAnnotation(sim) == "none" && !Self.extensionOffEvents(sim).isEmpty
        }
        #expect(unprotectable, "web: \(String(describing: latest.classification("shop", "web"))), lease: \(Self.leaseAnnotation(sim) ?? "-")")
        #expect(String(decoding: runtime.metrics.exposition(), as: UTF8.self)
            .contains(#"token_warden_cluster_token_lifetime_seconds{source="detected"} 0"#))
        #expect(latest.classification("pinned", "batch") == .ok)

        // Another rotation to a token that says the same: said once, not again.
        let offAgain = try Self.token(lifetime: 3607, warnAfter: false, serial: 3)
        try controller.rotate(to: offAgain)
        let reloads = cluster.token?.reloadCount ?? 0
        _ = await Self.wait(seconds: 5) { (cluster.token?.reloadCount ?? 0) > reloads }
        try await Task.sleep(for: .milliseconds(500))
        let said = Self.extensionOffEvents(sim)
        #expect(said.count == 1)
        #expect(said.first?["count"]?.intValue ?? 1 == 1)
        #expect(said.first?.value(at: ["involvedObject", "name"])?.stringValue == "token-warden-7f9c-x2k4p")
        #expect(said.first?.value(at: ["involvedObject", "kind"])?.stringValue == "Pod")
        #expect(said.first?["type"]?.stringValue == "Warning")

        await group.triggerGracefulShutdown()
        try await task.value

        // `report` (default --token-lifetime auto) uses what the controller published.
        guard TokenWardenBinary.url != nil else { return }
        let kubeconfig = controller.directory.appendingPathComponent("config").path
        try sim.writeKubeconfig(path: kubeconfig)
        let (_, json) = try await TokenWardenBinary.run([
            "report", "--kubeconfig", kubeconfig, "-A", "-o", "json", "--leader-election-namespace", "token-warden",
        ])
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let published = document?["clusterTokenLifetime"] as? [String: Any]
        #expect(published?["tokenLifetime"] as? String == "none")
        #expect(published?["source"] as? String == "lease")
        let statuses = (document?["workloads"] as? [[String: Any]] ?? []).map { $0["status"] as? String }
        let shop = (document?["workloads"] as? [[String: Any]] ?? []).filter { $0["namespace"] as? String == "shop" }
        #expect(shop.count == 2 && shop.allSatisfy { $0["status"] as? String == "unprotectable" }, "\(statuses)")
        let (_, table) = try await TokenWardenBinary.run([
            "report", "--kubeconfig", kubeconfig, "-A", "--leader-election-namespace", "token-warden",
        ])
        #expect(table.contains("; token lifetime none (published on Lease token-warden/token-warden"), "\(table)")
        // Without the flag it looks where `run` puts the Lease: the context declares no namespace, so token-warden.
        let (_, found) = try await TokenWardenBinary.run(["report", "--kubeconfig", kubeconfig, "-A"])
        #expect(found.contains("; token lifetime none (published on Lease token-warden/token-warden"), "\(found)")
        // Nothing published where it looks: 365 d, and it says so.
        let (_, fallback) = try await TokenWardenBinary.run([
            "report", "--kubeconfig", kubeconfig, "-A", "--leader-election-namespace", "default",
        ])
        #expect(fallback.contains("token lifetime 365d assumed (no Lease default/token-warden"), "\(fallback)")
    }

    /// A replica that finds extension off while another holds the lease writes no Event then
    /// (only the leader writes) and still owes it: it writes it once it leads.
    @Test func aFollowerThatFindsExtensionOffSaysSoOnceItLeads() async throws {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace("token-warden")
        scenario.namespace("shop")
        scenario.deployment("shop", "web", replicas: 1, ageDays: 75)
        let sim = try SimServer.start(objects: scenario.objects)
        defer { sim.stop() }
        let held: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "token-warden", "namespace": "token-warden"],
            "spec": ["holderIdentity": "other", "leaseDurationSeconds": 60,
                     "renewTime": .string(ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970))],
        ]
        try sim.store.create(ResourceCatalog.leases, namespace: "token-warden", object: held)
        var controller = try InClusterController(sim: sim, token: try Self.token(lifetime: 3607, warnAfter: false, serial: 1),
                                                 identity: "follower")
        let (runtime, latest) = (controller.runtime, controller.latest)
        let seen = await Self.wait { latest.classification("shop", "web") == .unprotectable }
        #expect(seen, "the follower assesses with the detected lifetime")
        try await Task.sleep(for: .seconds(1))
        #expect(Self.extensionOffEvents(sim).isEmpty, "a follower writes no Event")
        #expect(!runtime.isLeader)

        // The other replica's lease lapses (a candidate times a lease from when it saw it change,
        // as client-go does: a second from now): this one takes it and says what it found.
        try sim.store.modify(ResourceCatalog.leases, namespace: "token-warden", name: "token-warden") { value throws(StatusError) in
            value.set(1, at: ["spec", "leaseDurationSeconds"])
        }
        let said = await Self.wait { runtime.isLeader && !Self.extensionOffEvents(sim).isEmpty }
        #expect(said, "leader: \(runtime.isLeader), events: \(Self.extensionOffEvents(sim).count)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(Self.extensionOffEvents(sim).count == 1)
        try controller.rotate(to: try Self.token(lifetime: 3607, warnAfter: false, serial: 2))
        try await Task.sleep(for: .seconds(1))
        #expect(Self.extensionOffEvents(sim).count == 1, "said once")
        await controller.group.triggerGracefulShutdown()
        try await controller.task.value
    }

    @Test func anExplicitFlagWinsAndOutsideAPodAutoFallsBack() throws {
        let quiet = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        let metrics = WardenMetrics()
        let flag = ClusterTokenLifetimeMonitor(
            explicit: .extended(seconds: 7_776_000), token: .fixed(try Self.token(lifetime: 3607, warnAfter: false, serial: 9)),
            inCluster: true, metrics: metrics, logger: quiet)
        #expect(flag.refresh() == nil)
        #expect(flag.current.lifetime == .extended(seconds: 7_776_000))
        #expect(flag.current.source == .flag)
        #expect(String(decoding: metrics.exposition(), as: UTF8.self)
            .contains(#"token_warden_cluster_token_lifetime_seconds{source="flag"} 7776000"#))

        let outside = ClusterTokenLifetimeMonitor(
            explicit: nil, token: .fixed("kubeconfig-token"), inCluster: false, metrics: nil, logger: quiet)
        #expect(outside.refresh() == nil)
        #expect(outside.current.lifetime == .upstreamDefault)
        #expect(outside.current.source == .fallback)
        #expect(outside.current.evidence.contains("not running in a pod"))
        #expect(outside.leaseAnnotations[ClusterTokenLifetime.leaseLifetimeAnnotation] == "365d")
    }

    static func wait(seconds: Double = 30, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))  // cancellation only ends the wait early
        }
        return condition()
    }
}

/// The last assessment the controller made, for the test to look at.
final class LatestAssessment: Sendable {
    private let value = Mutex<Assessment?>(nil)

    func set(_ assessment: Assessment?) {
        guard let assessment else { return }
        value.withLock { $0 = assessment }
    }

    func classification(_ namespace: String, _ name: String) -> Classification? {
        value.withLock { $0?.workloads.first { $0.id.namespace == namespace && $0.id.name == name }?.classification }
    }
}

/// A controller in report mode configured in-cluster style: from a ServiceAccount directory
/// (ca.crt, namespace, a projected token the test rotates by a `..data` swap, as the kubelet does),
/// with leader election, its services running in a `ServiceGroup`.
struct InClusterController {
    let directory: URL
    let cluster: ClusterConfig
    let runtime: ControllerRuntime
    let latest = LatestAssessment()
    let group: ServiceGroup
    let task: Task<Void, any Error>
    private let sim: KubeSim
    private var tokens: ProjectedTokenDirectory

    init(sim: KubeSim, token: String, identity: String) throws {
        self.sim = sim
        directory = try SimServer.temporaryDirectory("auto-lifetime")
        try Data(try #require(sim.certificateAuthorityPEM).utf8).write(to: directory.appendingPathComponent("ca.crt"))
        try Data("token-warden".utf8).write(to: directory.appendingPathComponent("namespace"))
        tokens = ProjectedTokenDirectory(root: directory)
        sim.addToken(token, user: ClusterTokenLifetimeEndToEndTests.serviceAccount, rules: nil)
        try tokens.publish(token)
        let port = try #require(URL(string: sim.url)?.port)
        cluster = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(port)"],
            directory: directory.path)
        let latest = self.latest
        runtime = try ControllerRuntime(
            cluster: cluster,
            configuration: ControllerConfiguration(
                defaults: PolicyDefaults(mode: .report),
                planner: PlannerConfig(resyncInterval: 1),
                leaderElection: .init(namespace: cluster.namespace, identity: identity, retryPeriodSeconds: 0.2),
                httpAddress: nil, detectsTokenLifetime: true),
            identity: identity, logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() }),
            minimumInterval: .milliseconds(50), onOutcome: { latest.set($0.assessment) })
        let group = ServiceGroup(configuration: .init(
            services: runtime.services().map { .init(service: $0) }, gracefulShutdownSignals: [],
            logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() })))
        self.group = group
        task = Task { try await group.run() }
    }

    /// The kubelet rotates the token: the server knows the new one before the file shows it.
    mutating func rotate(to token: String) throws {
        sim.addToken(token, user: ClusterTokenLifetimeEndToEndTests.serviceAccount, rules: nil)
        try tokens.publish(token)
    }
}
