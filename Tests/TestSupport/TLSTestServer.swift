import APIClient
import HTTPServer
import Transport

/// A loopback HTTPS server with its own freshly generated CA, answering with a test's handler.
/// For exercising the transport and client against scripted behaviour (chunk splits, drops,
/// 401/429 sequences) that a real API server produces only by accident.
public final class TLSTestServer: Sendable {
    public let authority: CertificateAuthority
    public let server: HTTPServer

    public init(handler: @escaping HTTPServer.Handler) throws {
        authority = try CertificateAuthority.generate(commonName: "token-warden-test-ca")
        let identity = try authority.issueServerIdentity(hosts: ["127.0.0.1", "localhost"])
        server = HTTPServer(tls: identity, handler: handler)
        try server.start()
    }

    deinit { server.stop() }

    public var url: String { "https://127.0.0.1:\(server.port)" }

    /// TLS settings that trust exactly this server's CA.
    public var tls: TLSSettings { TLSSettings(certificateAuthority: .pem(Array(authority.certificatePEM.utf8))) }

    public func clusterConfig(token: TokenSource? = .fixed("test-token")) -> ClusterConfig {
        ClusterConfig(server: url, tls: tls, token: token, origin: "test")
    }

    public func stop() { server.stop() }
}
