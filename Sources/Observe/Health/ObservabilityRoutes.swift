import KubeModel

/// A request as the observability endpoints need it, independent of the HTTP server in use.
public struct EndpointRequest: Sendable {
    public var method: String
    public var path: String
    public var queryItems: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String, path: String, queryItems: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A complete response from an observability endpoint.
public struct EndpointResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: Int, _ text: String) -> EndpointResponse {
        EndpointResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
            body: Array(text.utf8))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The routing of `/healthz`, `/readyz`, `/livez`, `/metrics` and `/debug/caches`, as a pure
/// function from request to response so it can be tested without a socket. Nothing here can
/// change what the controller does: audit batches go to the webhook's own authenticated TLS
/// listener (Evidence).
public struct ObservabilityRoutes: Sendable {
    public let health: HealthState
    public let metrics: WardenMetrics
    /// The watch caches' digests, one per resource (`/debug/caches`).
    public let cacheDigests: @Sendable () -> [CacheDigest]

    public init(health: HealthState, metrics: WardenMetrics, cacheDigests: @escaping @Sendable () -> [CacheDigest] = { [] }) {
        self.health = health
        self.metrics = metrics
        self.cacheDigests = cacheDigests
    }

    public func respond(to request: EndpointRequest) -> EndpointResponse {
        switch request.path {
        case "/healthz", "/livez":
            guard request.method == "GET" || request.method == "HEAD" else { return Self.methodNotAllowed("GET") }
            return .text(200, "ok")
        case "/readyz":
            guard request.method == "GET" || request.method == "HEAD" else { return Self.methodNotAllowed("GET") }
            return readyz(request)
        case "/metrics":
            guard request.method == "GET" || request.method == "HEAD" else { return Self.methodNotAllowed("GET") }
            return EndpointResponse(
                status: 200, headers: [("Content-Type", WardenMetrics.expositionContentType)], body: metrics.exposition())
        case "/debug/caches":
            guard request.method == "GET" || request.method == "HEAD" else { return Self.methodNotAllowed("GET") }
            // Counts and digests only (no names, no contents): the same lines kube-sim's
            // /kube-sim/digest prints from its objects, so a soak can compare the two.
            return .text(200, cacheDigests().map { $0.line + "\n" }.joined())
        default:
            return .text(404, "404 page not found\n")
        }
    }

    /// The API server's readyz layout: one `[+]name ok` / `[-]name failed: reason` line per check,
    /// then `readyz check passed` (200) or `readyz check failed` (503). `?exclude=name` skips a
    /// check, as on the API server. Reasons here never contain secrets, so they are shown.
    func readyz(_ request: EndpointRequest) -> EndpointResponse {
        let excluded = Set(request.queryItems.filter { $0.name == "exclude" }.map(\.value))
        var lines: [String] = []
        var ready = true
        for check in health.checks() where !excluded.contains(check.name) {
            if check.passed {
                lines.append("[+]\(check.name) ok")
            } else if !check.gatesReadiness {
                lines.append("[-]\(check.name) failed (not counted for readiness): \(check.problem ?? "reason withheld")")
            } else {
                ready = false
                lines.append("[-]\(check.name) failed: \(check.problem ?? "reason withheld")")
            }
        }
        for name in excluded.sorted() { lines.append("[+]\(name) excluded: ok") }
        lines.append(ready ? "readyz check passed" : "readyz check failed")
        return .text(ready ? 200 : 503, lines.joined(separator: "\n") + "\n")
    }

    static func methodNotAllowed(_ allowed: String) -> EndpointResponse {
        var response = EndpointResponse.text(405, "405 method not allowed\n")
        response.headers.append(("Allow", allowed))
        return response
    }
}
