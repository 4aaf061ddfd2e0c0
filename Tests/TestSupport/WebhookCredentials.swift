import Foundation
import HTTPServer
import Transport

/// Files for an audit webhook on loopback, as a cluster would mount them: a serving certificate
/// and key (from a server CA), a client CA with one client certificate issued to the API server,
/// and a bearer token. Each can be replaced on disk, as cert-manager and Secret updates do.
public final class WebhookCredentials: @unchecked Sendable {
    public let directory: URL
    public private(set) var serverCA: CertificateAuthority
    public private(set) var clientCA: CertificateAuthority
    public private(set) var client: TLSIdentity
    public private(set) var token: String

    public var certificateFile: String { directory.appendingPathComponent("tls.crt").path }
    public var privateKeyFile: String { directory.appendingPathComponent("tls.key").path }
    public var clientCAFile: String { directory.appendingPathComponent("client-ca.crt").path }
    public var tokenFile: String { directory.appendingPathComponent("token").path }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        serverCA = try CertificateAuthority.generate(commonName: "webhook-serving-ca")
        clientCA = try CertificateAuthority.generate(commonName: "webhook-client-ca")
        client = try clientCA.issueClientIdentity(commonName: "kube-apiserver", organizations: [])
        token = "t-\(UUID().uuidString)"
        try rotateServingCertificate()
        try write(clientCA.certificatePEM, clientCAFile)
        try write(token + "\n", tokenFile)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }  // best effort: a temporary folder

    /// A new serving CA and certificate on disk; clients must trust the new `serverCA`.
    public func rotateServingCertificate() throws {
        serverCA = try CertificateAuthority.generate(commonName: "webhook-serving-ca-\(UUID().uuidString.prefix(6))")
        let identity = try serverCA.issueServerIdentity(hosts: ["127.0.0.1", "localhost"])
        try write(identity.privateKeyPEM, privateKeyFile)
        try write(identity.certificatePEM, certificateFile)
    }

    /// A new client CA on disk, and a client certificate from it; the old client certificate no longer verifies.
    public func rotateClientCA() throws {
        clientCA = try CertificateAuthority.generate(commonName: "webhook-client-ca-\(UUID().uuidString.prefix(6))")
        client = try clientCA.issueClientIdentity(commonName: "kube-apiserver", organizations: [])
        try write(clientCA.certificatePEM, clientCAFile)
    }

    public func rotateToken() throws {
        token = "t-\(UUID().uuidString)"
        try write(token, tokenFile)
    }

    /// TLS that trusts the current serving CA, presenting `identity` when given.
    public func clientTLS(presenting identity: TLSIdentity? = nil) -> TLSSettings {
        TLSSettings(
            certificateAuthority: .pem(Array(serverCA.certificatePEM.utf8)),
            clientCertificate: identity.map { .pem(Array($0.certificatePEM.utf8)) },
            clientKey: identity.map { .pem(Array($0.privateKeyPEM.utf8)) })
    }

    /// Written to a temporary name and renamed, as the kubelet swaps Secret files: never half a file.
    private func write(_ text: String, _ path: String) throws {
        let temporary = path + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }
}
