import KubeModel

/// The token one running container holds, and what it means.
public struct ContainerAssessment: Hashable, Sendable {
    public typealias Role = ContainerRole
    /// Which timestamp `startedAt` came from.
    public typealias StartSource = ContainerStartSource

    // Kept for every running container of every pod between passes (the assessment memo): the
    // cached mount itself (no volume-name string of its own) and optional instants as sentinels,
    // 104 bytes instead of 152 and a heap string.
    private let mount: TokenMount
    /// min(0.8 × expirationSeconds, 24 h) + 10 s; 0 for a legacy Secret token.
    public let refreshLag: Int64
    private let issuedNotBeforeSeconds: Int64
    private let lifetimeSeconds: Int64
    private let expiresAtSeconds: Int64
    private let deadlineSeconds: Int64
    public let classification: Classification

    private static let absent = Int64.min

    init(mount: TokenMount, refreshLag: Int64, issuedNotBefore: Timestamp?, lifetime: Int64?, expiresAt: Timestamp?, deadline: Timestamp?,
         classification: Classification) {
        self.mount = mount
        self.refreshLag = refreshLag
        issuedNotBeforeSeconds = issuedNotBefore?.seconds ?? Self.absent
        lifetimeSeconds = lifetime ?? Self.absent
        expiresAtSeconds = expiresAt?.seconds ?? Self.absent
        deadlineSeconds = deadline?.seconds ?? Self.absent
        self.classification = classification
    }

    public var name: String { mount.container }
    public var role: Role { mount.role }
    public var startedAt: Timestamp { mount.startedAt }
    /// Which timestamp `startedAt` came from.
    public var startSource: StartSource { mount.startSource }

    /// The API-token source (the assessor keeps only projected sources for the API's audiences).
    public var source: MountedTokenSource { MountedTokenSource(mount) }

    /// The token was issued at or after this instant (start − lag); nil for a legacy Secret token.
    public var issuedNotBefore: Timestamp? { Self.instant(issuedNotBeforeSeconds) }
    /// Seconds the token is honoured; nil = never expires.
    public var lifetime: Int64? { lifetimeSeconds == Self.absent ? nil : lifetimeSeconds }
    /// issuedNotBefore + lifetime: the latest instant the token may be assumed to work.
    public var expiresAt: Timestamp? { Self.instant(expiresAtSeconds) }
    /// When the token stops working: `expiresAt`, or the rotation instant when invalidated.
    public var deadline: Timestamp? { Self.instant(deadlineSeconds) }

    private static func instant(_ seconds: Int64) -> Timestamp? { seconds == absent ? nil : Timestamp(seconds: seconds) }
}
