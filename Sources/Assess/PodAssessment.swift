import KubeModel

/// One pod under the token-age model.
public struct PodAssessment: Hashable, Sendable {
    public var ref: ObjectRef
    public var phase: String?
    public var nodeName: String?
    public var ready: Bool
    public var classification: Classification
    /// Why, in a sentence (shown in reports and Events). Formatted on demand: most pods are
    /// assessed many times and never shown.
    public var reason: String { explanation.text(for: self) }
    var explanation: PodExplanation
    /// Running containers holding an API token.
    public var containers: [ContainerAssessment]
    /// When its most urgent token stops working.
    public var deadline: Timestamp?
    /// When a restart becomes due: deadline − restart-before (the rotation instant when invalidated).
    public var restartDue: Timestamp?
    /// The earliest possible issue time among its tokens.
    public var oldestTokenIssuedAt: Timestamp?
    /// Audit events named this pod as using a stale token.
    public var confirmedStale: Bool
    /// The next instant its classification can change by the clock alone.
    public var nextTransition: Timestamp?
}
