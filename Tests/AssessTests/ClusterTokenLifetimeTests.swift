import Assess
import Foundation
import Testing

/// `--token-lifetime auto`: the lifetime read from the claims of the controller's own token.
@Suite struct ClusterTokenLifetimeTests {
    static let iat: Int64 = 1_795_459_041

    /// A compact JWT whose payload is `claims` (header and signature are not looked at).
    static func jwt(_ claims: [String: Any]) throws -> String {
        let payload = try JSONSerialization.data(withJSONObject: claims)
        func b64url(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return b64url(Data(#"{"alg":"RS256","kid":"k"}"#.utf8)) + "." + b64url(payload) + "." + b64url(Data("signature".utf8))
    }

    /// Claims of a pod-bound token as the API server issues them for `expirationSeconds: 3607`.
    static func boundClaims(lifetime: Int64, warnAfter: Bool) -> [String: Any] {
        var kubernetes: [String: Any] = [
            "namespace": "token-warden",
            "pod": ["name": "token-warden-5d9c7-abcde", "uid": "pod-uid-1"],
            "serviceaccount": ["name": "token-warden", "uid": "sa-uid-1"],
        ]
        if warnAfter { kubernetes["warnafter"] = iat + 3607 }
        return [
            "aud": ["https://kubernetes.default.svc"], "iss": "https://kubernetes.default.svc", "sub": "system:serviceaccount:token-warden:token-warden",
            "iat": iat, "nbf": iat, "exp": iat + lifetime, "kubernetes.io": kubernetes,
        ]
    }

    @Test func upstreamExtendedTokenReadsAs365Days() throws {
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(Self.boundClaims(lifetime: 31_536_000, warnAfter: true)))
        #expect(found.lifetime == .extended(seconds: 31_536_000))
        #expect(found.source == .detected)
        #expect(found.evidence.contains("31536000 s (365d)"))
        #expect(found.ownPod == ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-5d9c7-abcde", uid: "pod-uid-1"))
    }

    @Test func eksTokenReadsAs90Days() throws {
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(Self.boundClaims(lifetime: 7_776_000, warnAfter: true)))
        #expect(found.lifetime == .extended(seconds: 7_776_000))
        #expect(found.lifetime.description == "90d")
        #expect(found.source == .detected)
    }

    @Test func customMaximumExpirationIsTheLifetime() throws {
        // --service-account-max-token-expiration=48h shortens the extension.
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(Self.boundClaims(lifetime: 172_800, warnAfter: true)))
        #expect(found.lifetime == .extended(seconds: 172_800))
        #expect(found.source == .detected)
    }

    @Test func unextended3607TokenWithoutWarnAfterMeansNone() throws {
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(Self.boundClaims(lifetime: 3607, warnAfter: false)))
        #expect(found.lifetime == .none)
        #expect(found.extensionIsOff)
        #expect(found.source == .detected)
        #expect(found.seconds == 0)
        #expect(found.evidence.contains("no kubernetes.io.warnafter"))
        #expect(found.ownPod?.name == "token-warden-5d9c7-abcde")
    }

    @Test func customProjectionFallsBackWithItsReason() throws {
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(Self.boundClaims(lifetime: 7200, warnAfter: false)))
        #expect(found.lifetime == .upstreamDefault)
        #expect(found.source == .fallback)
        #expect(found.evidence.contains("7200 s"))
        #expect(found.evidence.contains("custom projection"))
        #expect(found.evidence.hasSuffix("assuming 365d"))
    }

    @Test func legacySecretTokenFallsBack() throws {
        let legacy: [String: Any] = [
            "iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:token-warden:token-warden",
            "kubernetes.io/serviceaccount/namespace": "token-warden",
            "kubernetes.io/serviceaccount/secret.name": "token-warden-token-x7k2p",
            "kubernetes.io/serviceaccount/service-account.name": "token-warden",
            "kubernetes.io/serviceaccount/service-account.uid": "sa-uid-1",
        ]
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(legacy))
        #expect(found.lifetime == .upstreamDefault)
        #expect(found.source == .fallback)
        #expect(found.evidence.contains("legacy ServiceAccount Secret"))
    }

    @Test func tokenNotBoundToAPodFallsBack() throws {
        var claims = Self.boundClaims(lifetime: 31_536_000, warnAfter: true)
        claims["kubernetes.io"] = ["namespace": "token-warden", "serviceaccount": ["name": "token-warden", "uid": "u"]]
        let found = ClusterTokenLifetimeDetector.detect(token: try Self.jwt(claims))
        #expect(found.source == .fallback)
        #expect(found.evidence.contains("not bound to a pod"))
    }

    @Test(arguments: ["", "not-a-jwt", "a.b", "a.!!!.c", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "a.b.c.d"])
    func brokenTokenFileFallsBackWithoutQuotingIt(_ text: String) {
        let found = ClusterTokenLifetimeDetector.detect(token: text)
        #expect(found.lifetime == .upstreamDefault)
        #expect(found.source == .fallback)
        #expect(found.evidence.contains("cannot be read as a ServiceAccount token"))
        if !text.isEmpty { #expect(!found.evidence.contains(text)) }
    }

    @Test func goldenBoundTokenClaimsReadAs365Days() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/apiserver-golden/objects/bound-token-claims.json")
        let claims = try ServiceAccountTokenClaims.decode(payload: try Data(contentsOf: url))
        let found = ClusterTokenLifetimeDetector.detect(claims: claims)
        #expect(found.lifetime == .upstreamDefault)
        #expect(found.lifetime.description == "365d")
        #expect(found.source == .detected)
        #expect(found.ownPod == ObjectRef(kind: "Pod", namespace: "golden", name: "tokenholder", uid: "8ddc7cef-0722-41dd-890b-09462ba9db54"))
        // The same claims as a token file's JWT.
        let payload = try Data(contentsOf: url).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(ClusterTokenLifetimeDetector.detect(token: "e30.\(payload).c2ln").lifetime == .upstreamDefault)
    }

    @Test func leasePublicationRoundTrips() {
        let eks = ClusterTokenLifetime(lifetime: .extended(seconds: 7_776_000), source: .detected, evidence: "own token exp − iat = 7776000 s")
        let read = ClusterTokenLifetime.published(onLease: eks.leaseAnnotations, lease: "token-warden/token-warden")
        #expect(read.lifetime == .extended(seconds: 7_776_000))
        #expect(read.source == .lease)
        #expect(read.evidence.contains("published on Lease token-warden/token-warden"))
        let off = ClusterTokenLifetime(lifetime: .none, source: .detected, evidence: "3607 s")
        #expect(ClusterTokenLifetime.published(onLease: off.leaseAnnotations, lease: "a/b").lifetime == .none)
    }

    @Test func reportFallsBackWhenNothingIsPublished() {
        let missing = ClusterTokenLifetime.published(onLease: nil, lease: "token-warden/token-warden")
        #expect(missing.lifetime == .upstreamDefault)
        #expect(missing.source == .fallback)
        #expect(missing.evidence.contains("no Lease token-warden/token-warden"))
        let unannotated = ClusterTokenLifetime.published(onLease: ["other": "x"], lease: "ns/l")
        #expect(unannotated.source == .fallback)
        let invalid = ClusterTokenLifetime.published(onLease: [ClusterTokenLifetime.leaseLifetimeAnnotation: "soon"], lease: "ns/l")
        #expect(invalid.source == .fallback)
        #expect(invalid.evidence.contains("invalid"))
    }
}
