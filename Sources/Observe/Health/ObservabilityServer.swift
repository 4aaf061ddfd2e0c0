import HTTPServer
import Logging

/// Serves `/healthz`, `/readyz` and `/metrics` over plain HTTP on
/// `--http-address` (default `0.0.0.0:8080`), on the project's small threaded HTTP server: each
/// request is answered on its connection's thread, so a slow scrape never blocks the controller.
public final class ObservabilityServer: Sendable {
    public let host: String
    public let requestedPort: Int
    private let server: HTTPServer

    public init(host: String, port: Int, routes: ObservabilityRoutes, logger: Logger) {
        self.host = host
        self.requestedPort = port
        server = HTTPServer(host: host, port: port, tls: nil, logger: logger) { request, writer in
            let endpointRequest = EndpointRequest(
                method: request.method, path: request.path, queryItems: request.queryItems,
                headers: request.headers, body: request.body)
            let response = routes.respond(to: endpointRequest)
            writer.respond(
                status: response.status, headers: response.headers,
                body: request.method == "HEAD" ? [] : response.body)
        }
    }

    /// `address` as in `--http-address`: `HOST:PORT`, `:PORT` (all interfaces) or `[IPv6]:PORT`.
    public convenience init(address: String, routes: ObservabilityRoutes, logger: Logger) throws(ListenAddressError) {
        let (host, port) = try ListenAddress.parse(address)
        self.init(host: host, port: port, routes: routes, logger: logger)
    }

    /// Binds and starts serving; throws when the address cannot be bound (port in use…).
    public func start() throws { try server.start() }

    /// The bound port (useful with port 0 in tests).
    public var port: Int { server.port }

    public func stop() { server.stop() }
}

public struct ListenAddressError: Error, CustomStringConvertible, Equatable {
    public let address: String
    public var description: String { "invalid listen address \"\(address)\" (expected HOST:PORT, :PORT or [IPv6]:PORT)" }
}

/// Parses `--http-address`.
public enum ListenAddress {
    public static func parse(_ address: String) throws(ListenAddressError) -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]), (0...65_535).contains(port)
        else { throw ListenAddressError(address: address) }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
