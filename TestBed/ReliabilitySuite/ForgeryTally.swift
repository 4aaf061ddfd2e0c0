import Synchronization

/// How the webhook answered the forged batches of `forged-audit-batches`, counted from its senders.
final class ForgeryTally: Sendable {
    let refused = Atomic<Int>(0)
    /// Anything but 401: must stay 0.
    let accepted = Atomic<Int>(0)
}
