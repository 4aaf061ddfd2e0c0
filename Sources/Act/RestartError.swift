import APIClient
import Assess

/// Why a restart was refused or failed (beyond the API server's own errors, which are thrown as
/// `APIError` with the server's Status).
public enum RestartError: Error, Sendable, CustomStringConvertible {
    /// The decision asks for something this kind cannot do (e.g. a rollout of a ReplicationController).
    case unsupported(ObjectRef, String)
    /// The decision carries no deadline, so no restart state could be recorded.
    case missingDeadline(ObjectRef)
    /// The server's answer shows the rollout cannot proceed (paused Deployment, OnDelete).
    case rolloutBlocked(ObjectRef, String)
    /// A bare pod to recreate is not the one decided about any more (other uid) or has an owner.
    case podChanged(ObjectRef, String)
    /// A deleted pod did not go away in time; it was not created again.
    case deletionTimedOut(ObjectRef, seconds: Double)

    public var description: String {
        switch self {
        case .unsupported(let ref, let why): return "\(ref): \(why)"
        case .missingDeadline(let ref): return "\(ref): no token deadline in the decision; refusing to restart"
        case .rolloutBlocked(let ref, let why): return "\(ref): rollout refused: \(why)"
        case .podChanged(let ref, let why): return "\(ref): not recreated: \(why)"
        case .deletionTimedOut(let ref, let seconds):
            return "\(ref): deleted, but still present after \(Int(seconds)) s; not created again"
        }
    }
}
