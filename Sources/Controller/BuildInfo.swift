/// What this binary is.
public enum BuildInfo {
    public static let name = "token-warden"
    public static let version = "0.1.0"
    public static var userAgent: String { "\(name)/\(version)" }
}
