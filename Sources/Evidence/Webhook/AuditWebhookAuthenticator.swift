import Foundation
import HTTPServer
import Observe

/// Who sent a webhook request: a client certificate verified against the client CA (by the TLS
/// layer), or a bearer token equal to the token file's contents. Nothing else is trusted.
public struct AuditWebhookAuthenticator: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// `via`: `certificate CN=…` or `token`; for logs, never the token itself.
        case authenticated(via: String)
        case rejected(WebhookRequestResult)
    }

    /// nil: no client CA configured, so certificates authenticate nobody.
    let verifiesCertificates: Bool
    /// nil: no token configured.
    let tokenFile: WatchedFile?

    public init(verifiesCertificates: Bool, tokenFile: WatchedFile?) {
        self.verifiesCertificates = verifiesCertificates
        self.tokenFile = tokenFile
    }

    public func authenticate(_ request: HTTPRequest) -> Outcome {
        if verifiesCertificates, let commonName = request.clientCertificateCommonName {
            return .authenticated(via: "certificate CN=\(commonName)")
        }
        if let presented = Self.bearerToken(request.header("Authorization")) {
            if let expected = expectedToken(), !presented.isEmpty, Self.constantTimeEqual(Array(presented.utf8), expected) {
                return .authenticated(via: "token")
            }
            return .rejected(.invalidToken)
        }
        if request.clientCertificateRejected || (!verifiesCertificates && request.clientCertificateCommonName != nil) {
            return .rejected(.untrustedCertificate)
        }
        return .rejected(.missingCredentials)
    }

    /// The configured token; nil when none is configured or the file is empty or unreadable (then
    /// no token is accepted: an empty token must never match an empty header).
    private func expectedToken() -> [UInt8]? {
        guard let tokenFile else { return nil }
        let contents: [UInt8]
        do {
            contents = try tokenFile.current().contents
        } catch {
            return nil  // unreadable now: reject tokens until it can be read again (the reason is counted)
        }
        let trimmed = contents.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The token of `Authorization: Bearer <token>` (scheme case-insensitive, as Go's bearer authenticator).
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let scheme = parts.first, scheme.lowercased() == "bearer" else { return "" }
        return parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    }

    /// Compares without an early exit, so timing does not tell how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

extension Array where Element == UInt8 {
    func trimmingASCIIWhitespace() -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(self[first...last])
    }
}
