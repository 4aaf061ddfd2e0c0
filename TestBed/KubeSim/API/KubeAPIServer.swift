import Foundation
import HTTPServer
import Logging
import Synchronization

/// The Kubernetes API on top of the store: routing, authentication, authorization, fault
/// injection and the request log. `handle` is the HTTPServer handler.
public final class KubeAPIServer: Sendable {
    public let store: ResourceStore
    /// The built-in types and the installed CRDs: what discovery lists and requests may name.
    public let served: [ResourceType]
    public let tokens: TokenRegistry
    public let faults: FaultInjector
    public let requestLog: RequestLog
    let churn: PodChurn
    let logger: Logger
    /// How often a watch that asked for bookmarks gets one (kube-apiserver: about a minute).
    let bookmarkInterval: TimeInterval
    private let watchListState: Mutex<WatchListSupport>
    private let eviction = Mutex<EvictionHandler>(DefaultEviction.handler)
    /// One eviction at a time, so a PDB check and the delete it allows are atomic.
    private let evictionSerializer = Mutex(())
    private let address = Mutex("127.0.0.1:6443")
    /// What POST /kube-sim/restart does (set by KubeSim: close every connection).
    let restartHook = Mutex<(@Sendable () -> Void)?>(nil)

    public init(store: ResourceStore, tokens: TokenRegistry = TokenRegistry(), faults: FaultInjector = FaultInjector(),
                requestLog: RequestLog = RequestLog(), bookmarkInterval: TimeInterval = 60,
                watchList: WatchListSupport = .enabled, crds: [ResourceType] = [], logger: Logger = Logger(label: "kube-sim.api")) {
        self.store = store
        self.served = ResourceCatalog.builtIn + crds
        self.tokens = tokens
        self.faults = faults
        self.requestLog = requestLog
        self.churn = PodChurn(store: store)
        self.bookmarkInterval = bookmarkInterval
        self.watchListState = Mutex(watchList)
        self.logger = logger
    }

    /// How a streaming initial sync is answered; switchable while serving.
    public var watchList: WatchListSupport {
        get { watchListState.withLock { $0 } }
        set { watchListState.withLock { $0 = newValue } }
    }

    public var evictionHandler: EvictionHandler {
        get { eviction.withLock { $0 } }
        set { eviction.withLock { $0 = newValue } }
    }

    /// "host:port" for /api's serverAddressByClientCIDRs.
    public var serverAddress: String {
        get { address.withLock { $0 } }
        set { address.withLock { $0 = newValue } }
    }

    public func handle(_ request: HTTPRequest, _ writer: any HTTPResponseWriter) {
        let info = RequestInfo.parse(request)
        var user = "system:anonymous"
        let log = requestLog
        let logger = self.logger
        // Logged when the status is decided (before the client can see it), so tests can read
        // the log as soon as a response arrives; a watch is logged when its stream starts.
        let recorder = RecordingWriter(writer) { code in
            let name = user
            log.append(RequestRecord(
                method: request.method, path: request.path, verb: info.verb, group: info.group, resource: info.resource,
                subresource: info.subresource, namespace: info.namespace, name: info.name, user: name, code: code,
                contentType: request.header("Content-Type") ?? ""))
            logger.debug("request", metadata: [
                "verb": "\(info.verb)", "path": "\(request.path)", "code": "\(code)", "user": "\(name)",
            ])
        }
        let latency = faults.latency(for: info)
        if latency > 0 { Thread.sleep(forTimeInterval: latency) }
        if ["/healthz", "/livez", "/readyz"].contains(request.path) {
            recorder.respond(status: 200, headers: ResponseWriting.headers(contentType: "text/plain; charset=utf-8"),
                             body: Array("ok".utf8))
            return
        }
        let grant = authenticate(request)
        if let grant {
            user = grant.user
        } else if request.path != "/version" {
            ResponseWriting.status(recorder, .unauthorized)
            return
        }
        if request.path.hasPrefix(Self.adminPrefix) {
            guard let grant, grant.rules == nil else {
                ResponseWriting.status(recorder, TokenGrant.forbidden(user: user, info: info))
                return
            }
            do throws(StatusError) {
                try serveAdmin(request, writer: recorder) { restartHook.withLock { $0 }?() }
            } catch {
                ResponseWriting.status(recorder, error)
            }
            return
        }
        if let grant, !grant.allows(info) {
            ResponseWriting.status(recorder, TokenGrant.forbidden(user: grant.user, info: info))
            return
        }
        if let injected = faults.fault(for: info) {
            if injected.afterServing { serve(request, info: info, writer: DiscardingWriter()) }
            if let status = injected.status {
                ResponseWriting.status(recorder, status)
            } else {
                recorder.abortConnection()
            }
            return
        }
        serve(request, info: info, writer: recorder)
    }

    private func serve(_ request: HTTPRequest, info: RequestInfo, writer: any HTTPResponseWriter) {
        guard info.isResourceRequest else {
            serveNonResource(request, info: info, writer: writer)
            return
        }
        guard let type = ResourceCatalog.find(group: info.group, version: info.version, resource: info.resource), served.contains(type) else {
            ResponseWriting.status(writer, StatusError(code: 404, reason: "NotFound",
                                                     message: "the server could not find the requested resource", hasDetails: true))
            return
        }
        do throws(StatusError) {
            try serveResource(request, info: info, type: type, writer: writer)
        } catch {
            ResponseWriting.status(writer, error)
        }
    }

    private func authenticate(_ request: HTTPRequest) -> TokenGrant? {
        guard let header = request.header("Authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return tokens.authenticate(String(parts[1]).trimmingCharacters(in: " "), now: store.now())
    }

    private func serveNonResource(_ request: HTTPRequest, info: RequestInfo, writer: any HTTPResponseWriter) {
        guard request.method == "GET" || request.method == "HEAD" else {
            ResponseWriting.status(writer, StatusError.methodNotAllowed("the server does not allow this method on the requested resource"))
            return
        }
        let wantsAggregated = (request.header("Accept") ?? "").contains("as=APIGroupDiscoveryList")
        switch request.path {
        case "/version", "/version/":
            ResponseWriting.json(writer, value: Discovery.version)
        case "/api", "/api/":
            if wantsAggregated {
                ResponseWriting.json(writer, value: Discovery.aggregated(core: true, served: served), contentType: Discovery.aggregatedContentType)
            } else {
                ResponseWriting.json(writer, value: Discovery.apiVersions(serverAddress: serverAddress))
            }
        case "/apis", "/apis/":
            if wantsAggregated {
                ResponseWriting.json(writer, value: Discovery.aggregated(core: false, served: served), contentType: Discovery.aggregatedContentType)
            } else {
                ResponseWriting.json(writer, value: Discovery.apiGroupList(served: served))
            }
        case "/openapi/v3", "/openapi/v3/":
            ResponseWriting.json(writer, value: OpenAPIDocuments.root(served: served))
        case let path where path.hasPrefix("/openapi/v3/"):
            if let document = OpenAPIDocuments.document(path: String(path.dropFirst("/openapi/v3/".count)), served: served) {
                ResponseWriting.json(writer, value: document)
            } else {
                writer.respond(status: 404, headers: ResponseWriting.headers(contentType: "text/plain; charset=utf-8"),
                               body: Array("404 page not found\n".utf8))
            }
        default:
            if !info.version.isEmpty, let list = Discovery.resourceList(group: info.group, version: info.version, served: served) {
                ResponseWriting.json(writer, value: list)
            } else if info.version.isEmpty && !info.group.isEmpty,
                let (group, version) = ResourceCatalog.groupVersions(of: served).first(where: { $0.group == info.group })
            {
                let gv: JSONValue = ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
                ResponseWriting.json(writer, value: ["kind": "APIGroup", "apiVersion": "v1", "name": .string(group),
                                                     "versions": [gv], "preferredVersion": gv])
            } else {
                writer.respond(status: 404, headers: ResponseWriting.headers(contentType: "text/plain; charset=utf-8"),
                               body: Array("404 page not found\n".utf8))
            }
        }
    }

    private func serveResource(_ request: HTTPRequest, info: RequestInfo, type: ResourceType,
                               writer: any HTTPResponseWriter) throws(StatusError) {
        if !info.subresource.isEmpty && !type.subresources.contains(info.subresource) {
            throw StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource", hasDetails: true)
        }
        if type.namespaced == false && !info.namespace.isEmpty && type.resource != "namespaces" {
            throw StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource", hasDetails: true)
        }
        let namespace = type.namespaced ? info.namespace : ""
        if info.subresource == "scale" {
            try serveScale(request, type: type, namespace: namespace, info: info, writer: writer)
            return
        }
        switch info.verb {
        case "get": try serveGet(request, type: type, namespace: namespace, name: info.name, writer: writer)
        case "list": try serveList(request, type: type, namespace: namespace, writer: writer)
        case "watch": try serveWatch(request, type: type, namespace: namespace, name: info.name, writer: writer)
        case "create":
            if info.subresource == "eviction" {
                try serveEviction(request, namespace: namespace, name: info.name, writer: writer)
            } else if info.name.isEmpty {
                try serveCreate(request, type: type, namespace: namespace, writer: writer)
            } else {
                throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
            }
        case "update": try serveUpdate(request, type: type, namespace: namespace, info: info, writer: writer)
        case "patch": try servePatch(request, type: type, namespace: namespace, info: info, writer: writer)
        case "delete": try serveDelete(request, type: type, namespace: namespace, name: info.name, writer: writer)
        case "deletecollection": try serveDeleteCollection(request, type: type, namespace: namespace, writer: writer)
        default:
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    func evict(_ request: EvictionRequest) throws(StatusError) {
        let handler = evictionHandler
        try evictionSerializer.withLock { _ throws(StatusError) in
            try handler(request, store)
        }
    }
}

/// Remembers the status code a handler answered with (for the request log); a connection
/// dropped before any answer is logged with code 0.
final class RecordingWriter: HTTPResponseWriter {
    private let inner: any HTTPResponseWriter
    private let record: (Int) -> Void
    private var recorded = false  // the connection's thread only

    init(_ inner: any HTTPResponseWriter, record: @escaping (Int) -> Void) {
        self.inner = inner
        self.record = record
    }

    func respond(status: Int, headers: [(String, String)], body: [UInt8]) {
        recorded = true
        record(status)
        inner.respond(status: status, headers: headers, body: body)
    }

    func startStream(status: Int, headers: [(String, String)]) -> Bool {
        recorded = true
        record(status)
        return inner.startStream(status: status, headers: headers)
    }

    func writeChunk(_ bytes: [UInt8]) -> Bool { inner.writeChunk(bytes) }
    func endStream() { inner.endStream() }
    func abortConnection() {
        if !recorded {
            recorded = true
            record(0)
        }
        inner.abortConnection()
    }
    var isClosed: Bool { inner.isClosed }
}
