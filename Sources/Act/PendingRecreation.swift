import Assess
import Plan

/// A bare pod deleted by `recreateStep` and not yet created again: its manifest, kept in memory.
struct PendingRecreation: Sendable {
    var decision: Decision
    /// The old pod (its uid: another pod of that name is not ours to replace).
    var pod: ObjectRef
    /// The manifest to create, restart state included.
    var body: [UInt8]
    var deletedAt: ContinuousClock.Instant
    var timeoutSeconds: Double
}
