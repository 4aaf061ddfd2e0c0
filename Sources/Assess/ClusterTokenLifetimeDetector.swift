/// `--token-lifetime auto`: the cluster's extended token lifetime, read from a token it issued.
///
/// The kubelet asks for `expirationSeconds: 3607`; the API server extends exactly such a
/// pod-bound token to its `maxExtendedExpirationSeconds` (365 d upstream, 90 d on EKS, less when
/// `--service-account-max-token-expiration` is lower) and adds `kubernetes.io.warnafter` =
/// iat + 3607. With extension off, the token lasts 3607 s and has no `warnafter`. So `exp − iat`
/// of the controller's own default token is the only reliable source of the real value. Pure.
public enum ClusterTokenLifetimeDetector {
    /// `WarnOnlyBoundTokenExpirationSeconds`.
    public static let requestedSeconds: Int64 = 3607

    /// From the text of the controller's own token (never logged or quoted).
    public static func detect(token: String) -> ClusterTokenLifetime {
        do {
            return detect(claims: try ServiceAccountTokenClaims.decode(jwt: token))
        } catch {
            return .fallback("the controller's own token cannot be read as a ServiceAccount token: \(error.problem)")
        }
    }

    public static func detect(claims: ServiceAccountTokenClaims) -> ClusterTokenLifetime {
        if claims.legacySecretName != nil || claims.iss == "kubernetes/serviceaccount" {
            return .fallback("the controller's own token is a legacy ServiceAccount Secret token (never extended, no expiry), not the projected kube-api-access token")
        }
        guard let iat = claims.iat, let exp = claims.exp else {
            return .fallback("the controller's own token has no iat/exp claims")
        }
        guard let bound = claims.kubernetes, bound.pod?.name != nil else {
            return .fallback("the controller's own token is not bound to a pod (no kubernetes.io.pod claim)")
        }
        let ownPod = ControllerPod.fromClaims(claims)
        let span = exp - iat
        if let warnAfter = bound.warnafter {
            guard span > requestedSeconds else {
                return .fallback("the controller's own token has kubernetes.io.warnafter but exp − iat = \(span) s, not more than \(requestedSeconds) s")
            }
            let lifetime = TokenLifetime.extended(seconds: span)
            return ClusterTokenLifetime(
                lifetime: lifetime, source: .detected,
                evidence: "own token exp − iat = \(span) s (\(lifetime)), kubernetes.io.warnafter = iat + \(warnAfter - iat) s: the API server extends 3607-s tokens to \(lifetime)",
                ownPod: ownPod)
        }
        if span == requestedSeconds {
            return ClusterTokenLifetime(
                lifetime: .none, source: .detected,
                evidence: "own token exp − iat = \(requestedSeconds) s and no kubernetes.io.warnafter claim: the API server does not extend tokens (--service-account-extend-token-expiration=false)",
                ownPod: ownPod)
        }
        var fallback = ClusterTokenLifetime.fallback(
            "the controller's own token lasts \(span) s without kubernetes.io.warnafter: a custom projection (expirationSeconds ≠ 3607, never extended) tells nothing about the cluster's extension; mount the default kube-api-access token")
        fallback.ownPod = ownPod
        return fallback
    }
}
