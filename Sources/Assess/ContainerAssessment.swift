import KubeModel

/// The token one running container holds, and what it means.
public struct ContainerAssessment: Hashable, Sendable {
    public typealias Role = ContainerRole
    /// Which timestamp `startedAt` came from.
    public typealias StartSource = ContainerStartSource

    public var name: String
    public var role: Role
    public var source: MountedTokenSource
    public var startedAt: Timestamp
    public var startSource: StartSource
    /// min(0.8 × expirationSeconds, 24 h) + 10 s; 0 for a legacy Secret token.
    public var refreshLag: Int64
    /// The token was issued at or after this instant (start − lag); nil for a legacy Secret token.
    public var issuedNotBefore: Timestamp?
    /// Seconds the token is honoured; nil = never expires.
    public var lifetime: Int64?
    /// issuedNotBefore + lifetime: the latest instant the token may be assumed to work.
    public var expiresAt: Timestamp?
    /// When the token stops working: `expiresAt`, or the rotation instant when invalidated.
    public var deadline: Timestamp?
    public var classification: Classification
}
