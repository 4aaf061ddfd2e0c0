import Foundation

/// The claims of a ServiceAccount JWT that tell its kind and lifetime. The payload is decoded
/// without checking the signature: only ever the controller's own token, read from its own file.
public struct ServiceAccountTokenClaims: Decodable, Sendable, Equatable {
    /// The private `kubernetes.io` claim of a bound (TokenRequest) token.
    public struct Kubernetes: Decodable, Sendable, Equatable {
        public struct Named: Decodable, Sendable, Equatable {
            public var name: String?
            public var uid: String?
        }

        public var namespace: String?
        public var pod: Named?
        public var serviceaccount: Named?
        /// iat + 3607 s on an extended token; absent when the API server did not extend it.
        public var warnafter: Int64?
    }

    public var iss: String?
    public var sub: String?
    public var iat: Int64?
    public var exp: Int64?
    public var kubernetes: Kubernetes?
    /// Legacy Secret tokens carry `kubernetes.io/serviceaccount/*` claims and no expiry.
    public var legacySecretName: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, iat, exp
        case kubernetes = "kubernetes.io"
        case legacySecretName = "kubernetes.io/serviceaccount/secret.name"
    }

    /// Why a token's claims could not be read.
    public struct DecodeError: Error, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { problem }
    }

    /// Decodes the payload (second part) of a compact JWT. The error never quotes the token.
    public static func decode(jwt: String) throws(DecodeError) -> ServiceAccountTokenClaims {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw DecodeError(problem: "the token is not a JWT (\(parts.count) dot-separated parts, expected 3)")
        }
        guard let payload = base64URLDecode(parts[1]) else {
            throw DecodeError(problem: "the JWT payload is not base64url")
        }
        return try decode(payload: payload)
    }

    /// Decodes claims given as JSON (a decoded payload).
    public static func decode(payload: Data) throws(DecodeError) -> ServiceAccountTokenClaims {
        do {
            return try JSONDecoder().decode(ServiceAccountTokenClaims.self, from: payload)
        } catch {
            throw DecodeError(problem: "the JWT payload is not a JSON object of claims (\(error))")
        }
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }
}
