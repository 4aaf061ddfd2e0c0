/// How the audit webhook listens and whom it trusts (`token-warden run --audit-webhook-*`).
public struct AuditWebhookSettings: Sendable, Equatable {
    /// `HOST:PORT` or `:PORT` (default `:8443`).
    public var address: String
    public var certificateFile: String?
    public var privateKeyFile: String?
    /// Client certificates signed by this CA are accepted (the API server's webhook kubeconfig
    /// `client-certificate` / `client-key`).
    public var clientCAFile: String?
    /// A bearer token equal to this file's contents (trimmed) is accepted (the kubeconfig's `token`).
    public var tokenFile: String?
    /// A larger body is answered with 413 (a batch of the API server's default 400 events at
    /// Metadata level is well under 1 MiB).
    public var maxBodyBytes: Int
    /// How often the certificate, key and client CA files are checked for changes.
    public var reloadIntervalSeconds: Double

    public static let defaultAddress = ":8443"
    public static let defaultMaxBodyBytes = 16 << 20

    public init(
        address: String = AuditWebhookSettings.defaultAddress, certificateFile: String? = nil, privateKeyFile: String? = nil,
        clientCAFile: String? = nil, tokenFile: String? = nil, maxBodyBytes: Int = AuditWebhookSettings.defaultMaxBodyBytes,
        reloadIntervalSeconds: Double = 10
    ) {
        self.address = address
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.tokenFile = tokenFile
        self.maxBodyBytes = maxBodyBytes
        self.reloadIntervalSeconds = reloadIntervalSeconds
    }

    /// The settings a webhook can start with: TLS and at least one way to authenticate.
    public func validate() throws(AuditWebhookSettingsError) {
        guard certificateFile?.isEmpty == false, privateKeyFile?.isEmpty == false else { throw .noTLS }
        guard clientCAFile?.isEmpty == false || tokenFile?.isEmpty == false else { throw .noAuthentication }
    }
}

public enum AuditWebhookSettingsError: Error, Equatable, CustomStringConvertible {
    case noTLS
    case noAuthentication

    public var description: String {
        switch self {
        case .noTLS:
            return "--audit-webhook needs --audit-webhook-tls-cert-file and --audit-webhook-tls-key-file: audit batches are only taken over TLS"
        case .noAuthentication:
            return "--audit-webhook needs --audit-webhook-client-ca-file or --audit-webhook-token-file (or both): an unauthenticated webhook would let anyone who reaches the port restart workloads"
        }
    }
}
