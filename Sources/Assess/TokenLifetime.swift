/// How long the API server honours an extended (`expirationSeconds: 3607`) token.
public enum TokenLifetime: Hashable, Sendable, CustomStringConvertible {
    /// The extension grace period (365 d upstream default, 90 d on EKS).
    case extended(seconds: Int64)
    /// Extension turned off (e.g. AKS with an OIDC issuer): the token dies after its 3607 s.
    case none

    public static let upstreamDefault = TokenLifetime.extended(seconds: 365 * 86_400)

    /// `365d`, `8760h`, `90d` or `none`.
    public static func parse(_ text: String) -> Result<TokenLifetime, DurationText.ParseError> {
        if text.trimmingWhitespace().lowercased() == "none" { return .success(.none) }
        return DurationText.parsePositive(text).map { .extended(seconds: $0) }
    }

    public var description: String {
        switch self {
        case .extended(let seconds): return DurationText.format(seconds)
        case .none: return "none"
        }
    }
}
