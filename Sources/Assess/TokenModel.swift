import KubeModel

/// The numbers of the token-age model (upstream Kubernetes source; see the README).
public enum TokenModel {
    /// `WarnOnlyBoundTokenExpirationSeconds`: the admission plugin's request, the only value extended.
    public static let warnOnlyExpirationSeconds: Int64 = 3607
    /// The API server's default when a projection gives no `expirationSeconds`.
    public static let defaultExpirationSeconds: Int64 = 3600
    /// The kubelet refreshes a token at the latest 24 h after issue.
    public static let maximumRefreshAge: Int64 = 86_400
    /// Upper bound of the kubelet's refresh jitter.
    public static let refreshJitter: Int64 = 10

    /// How much older than the container's start its token can be: min(0.8 × expirationSeconds, 24 h) + 10 s,
    /// the 80 % rounded up (2,896 s = 48m16s for 3607).
    public static func refreshLag(expirationSeconds: Int64) -> Int64 {
        let eightyPercent = (4 * expirationSeconds + 4) / 5
        return min(eightyPercent, maximumRefreshAge) + refreshJitter
    }

    /// How long a token from `source` is honoured; nil = never expires (legacy Secret token).
    public static func lifetime(of source: MountedTokenSource, policy: TokenLifetime) -> Int64? {
        switch source {
        case .legacySecret:
            return nil
        case .projected(_, let expirationSeconds):
            guard expirationSeconds == warnOnlyExpirationSeconds else { return expirationSeconds }
            switch policy {
            case .extended(let seconds): return seconds
            case .none: return expirationSeconds
            }
        }
    }
}
