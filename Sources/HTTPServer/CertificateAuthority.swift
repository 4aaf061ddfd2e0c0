import CTLS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A certificate authority generated in memory (ECDSA P-256, SHA-256), issuing server and client
/// certificates for loopback tests and the simulated API server.
public struct CertificateAuthority: Sendable, Equatable {
    /// The CA certificate: what clients trust.
    public let certificatePEM: String
    public let privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    public static func generate(commonName: String) throws -> CertificateAuthority {
        var cert: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var error = [CChar](repeating: 0, count: 512)
        let rc = ctls_generate_ca(commonName, &cert, &key, &error, error.count)
        defer { ctls_free_string(cert); ctls_free_string(key) }
        guard rc == 0, let cert, let key else {
            throw HTTPServerError.tls(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CertificateAuthority(certificatePEM: String(cString: cert), privateKeyPEM: String(cString: key))
    }

    /// A server leaf; IP literals become IP SANs, everything else DNS SANs. The first host is the CN.
    public func issueServerIdentity(hosts: [String]) throws -> TLSIdentity {
        let ips = hosts.filter(Self.isIPAddress)
        let names = hosts.filter { !Self.isIPAddress($0) }
        return try issue(commonName: hosts.first ?? "server", organizations: [], dnsNames: names, ipAddresses: ips, server: true)
    }

    /// A client certificate: CN = user name, O = groups (how kube-apiserver reads them).
    public func issueClientIdentity(commonName: String, organizations: [String]) throws -> TLSIdentity {
        try issue(commonName: commonName, organizations: organizations, dnsNames: [], ipAddresses: [], server: false)
    }

    private func issue(
        commonName: String, organizations: [String], dnsNames: [String], ipAddresses: [String], server: Bool
    ) throws -> TLSIdentity {
        var cert: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var error = [CChar](repeating: 0, count: 512)
        let rc = withCStrings(organizations) { orgs in
            withCStrings(dnsNames) { dns in
                withCStrings(ipAddresses) { ips in
                    ctls_issue_certificate(
                        certificatePEM, privateKeyPEM, commonName,
                        orgs, Int32(organizations.count), dns, Int32(dnsNames.count), ips, Int32(ipAddresses.count),
                        server ? 1 : 0, &cert, &key, &error, error.count)
                }
            }
        }
        defer { ctls_free_string(cert); ctls_free_string(key) }
        guard rc == 0, let cert, let key else {
            throw HTTPServerError.tls(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSIdentity(certificatePEM: String(cString: cert), privateKeyPEM: String(cString: key))
    }

    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }  // IPv6 literal
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard let value = Int(part), part.count <= 3 else { return false }
            return (0...255).contains(value)
        }
    }
}

/// Calls `body` with a C array of C strings valid for the duration of the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let duplicated: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { duplicated.forEach { free($0) } }
    let constant = duplicated.map { UnsafePointer($0) }
    return constant.withUnsafeBufferPointer { body($0.baseAddress) }
}
