import Foundation
import HTTPServer
import Logging
import Synchronization

/// A simulated Kubernetes API server: the store, the HTTP(S) API on a loopback port, tokens,
/// faults and the request log. Start it in-process for tests, or through the `kube-sim` executable.
public final class KubeSim: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        /// Serve HTTPS with a generated CA (false: plain HTTP).
        public var tls = true
        /// The admin token (nil: a random one).
        public var adminToken: String?
        /// Watch history kept for resumption (events); older resourceVersions get 410.
        public var historyCapacity = 100_000
        /// How often watches with allowWatchBookmarks get a BOOKMARK.
        public var bookmarkInterval: TimeInterval = 60
        /// How a streaming initial sync (`sendInitialEvents=true`) is answered.
        public var watchList = WatchListSupport.enabled
        public var logger = Logger(label: "kube-sim")
        /// Run the simulated controllers and kubelet (nil: a bare API server, objects only change
        /// when clients change them).
        public var cluster: ClusterOptions?
        /// Custom resources served as if their CRDs were installed (`ResourceCatalog.crds`, e.g.
        /// `[ResourceCatalog.argoRollouts]`); none by default, like a cluster without them.
        public var crds: [ResourceType] = []

        public init() {}
    }

    public let store: ResourceStore
    public let api: KubeAPIServer
    /// The CA clients must trust (nil with plain HTTP).
    public let certificateAuthority: CertificateAuthority?
    public let adminToken: String
    /// The simulated controllers and kubelet (when `Options.cluster` is set).
    public let cluster: SimulatedCluster?
    private let options: Options
    private let server: HTTPServer

    public init(options: Options = Options()) throws {
        self.options = options
        let store = ResourceStore(historyCapacity: options.historyCapacity, logger: options.logger)
        self.store = store
        self.api = KubeAPIServer(store: store, bookmarkInterval: options.bookmarkInterval, watchList: options.watchList,
                                 crds: options.crds, logger: options.logger)
        self.adminToken = options.adminToken ?? "kube-sim-admin-" + NameGenerator.uid()
        api.tokens.add(adminToken, grant: TokenGrant(user: "kube-sim-admin", groups: ["system:masters", "system:authenticated"], rules: nil))
        var identity: TLSIdentity?
        if options.tls {
            let authority = try CertificateAuthority.generate(commonName: "kube-sim-ca")
            identity = try authority.issueServerIdentity(hosts: ["127.0.0.1", "localhost", "::1", "kubernetes.default.svc"])
            certificateAuthority = authority
        } else {
            certificateAuthority = nil
        }
        if let clusterOptions = options.cluster {
            let cluster = SimulatedCluster(store: store, options: clusterOptions, logger: options.logger)
            api.evictionHandler = cluster.evictionHandler
            self.cluster = cluster
        } else {
            self.cluster = nil
        }
        let api = self.api
        server = HTTPServer(host: options.host, port: options.port, tls: identity, logger: options.logger) { request, writer in
            let skew = api.faults.clockSkewSeconds
            api.handle(request, skew == 0 ? writer : SkewedDateWriter(writer, skewSeconds: skew))
        }
        do {
            try store.load(["default", "kube-system", "kube-public", "kube-node-lease"].map { name in
                ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            })
        } catch {
            throw error
        }
    }

    /// Starts the simulated cluster (if any) and serves. Seed objects before, so the controllers
    /// adopt them as existing state.
    public func start() throws {
        cluster?.start()
        let server = self.server
        let store = self.store
        // Weak: the server's handler holds the API, which holds this hook (a strong reference here
        // was a cycle that kept every stopped simulator in memory).
        api.restartHook.withLock { $0 = { [weak server] in store.interruptWatches(); server?.dropAllConnections() } }
        try server.start()
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        api.serverAddress = "\(host):\(server.port)"
        options.logger.info("kube-sim serving", metadata: ["url": "\(url)"])
    }

    /// Closes every connection and ends every watch. The state is dropped with the object.
    public func stop() {
        api.churn.start(perSecond: 0)
        cluster?.stop()
        store.close()
        server.stop()
        api.restartHook.withLock { $0 = nil }
    }

    public var port: Int { server.port }

    /// "https://127.0.0.1:PORT" (or http://).
    public var url: String {
        let host = options.host == "0.0.0.0" ? "127.0.0.1" : (options.host.contains(":") ? "[\(options.host)]" : options.host)
        return "\(options.tls ? "https" : "http")://\(host):\(server.port)"
    }

    /// The CA certificate clients trust (nil with plain HTTP).
    public var certificateAuthorityPEM: String? { certificateAuthority?.certificatePEM }

    // MARK: Kubeconfig

    public func kubeconfig(token: String? = nil, user: String = "kube-sim-admin", namespace: String? = nil) -> String {
        Kubeconfig.yaml(server: url, certificateAuthorityPEM: certificateAuthorityPEM, token: token ?? adminToken,
                        user: user, namespace: namespace)
    }

    /// Writes a kubeconfig usable by kubectl and token-warden as is (mode 0600).
    public func writeKubeconfig(path: String, token: String? = nil, user: String = "kube-sim-admin",
                                namespace: String? = nil) throws {
        let text = kubeconfig(token: token, user: user, namespace: namespace)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    // MARK: Objects

    /// Seeds objects as given (see `ResourceStore.load`).
    @discardableResult
    public func load(_ objects: [JSONValue]) throws -> [StoredObject] {
        try store.load(objects)
    }

    /// Seeds objects from a YAML or JSON file (single, multi-document, or a List).
    @discardableResult
    public func load(file path: String) throws -> [StoredObject] {
        try store.load(try ManifestLoader.objects(fromFile: path))
    }

    // MARK: Tokens

    public var tokens: TokenRegistry { api.tokens }

    /// Accepts `token` for `user` with these permissions (nil: everything).
    public func addToken(_ token: String, user: String, groups: [String] = ["system:authenticated"],
                         rules: [PolicyRule]?, expiresAt: Date? = nil) {
        api.tokens.add(token, grant: TokenGrant(user: user, groups: groups, rules: rules, expiresAt: expiresAt))
    }

    public func revokeToken(_ token: String) {
        api.tokens.revoke(token)
    }

    @discardableResult
    public func rotateToken(_ old: String, to new: String) -> Bool {
        api.tokens.rotate(old, to: new)
    }

    // MARK: Faults and observation

    public var faults: FaultInjector { api.faults }
    public var requestLog: RequestLog { api.requestLog }

    /// The eviction decision (simulated PDB checks); default: delete the pod.
    public var evictionHandler: EvictionHandler {
        get { api.evictionHandler }
        set { api.evictionHandler = newValue }
    }

    /// Drops every open watch connection (no terminating chunk); clients must re-watch.
    public func dropWatches() {
        store.interruptWatches()
    }

    /// Forgets the watch history: watches and continue tokens from older versions get 410.
    public func compact() {
        store.compact()
    }

    /// A "restart": every connection is closed, the state is kept, the port stays.
    public func restart() {
        store.interruptWatches()
        server.dropAllConnections()
    }
}
