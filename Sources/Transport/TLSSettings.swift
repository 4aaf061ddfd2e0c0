/// How the transport authenticates the server and, optionally, itself.
///
/// Verification is on unless a kubeconfig explicitly says `insecure-skip-tls-verify: true`;
/// there is no silent fallback to an unverified connection.
public struct TLSSettings: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case file(String)
        case pem([UInt8])
    }

    /// Trust anchors for the API server. nil: the system's CA store.
    public var certificateAuthority: Source?
    public var clientCertificate: Source?
    public var clientKey: Source?
    public var insecureSkipVerify: Bool
    /// Overrides the name checked against the server certificate (kubeconfig `tls-server-name`).
    public var serverName: String?

    public init(
        certificateAuthority: Source? = nil, clientCertificate: Source? = nil, clientKey: Source? = nil,
        insecureSkipVerify: Bool = false, serverName: String? = nil
    ) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}
