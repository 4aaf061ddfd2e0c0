import Assess
import KubeModel

/// What `token-warden audit --record` does with one pod's stale-token evidence, given the pod as
/// the cluster has it now. Pure: the I/O is the caller's.
public enum EvidenceRecordDecision: Equatable, Sendable {
    /// Write these annotations on the pod (its uid as the patch's precondition).
    case write(annotations: [String: String])
    case skip(SkipReason)

    public enum SkipReason: Equatable, Sendable, CustomStringConvertible {
        /// The API server recorded no pod name or uid (not a pod-bound token).
        case noPod
        /// The events had no timestamp.
        case noTime
        case podGone
        /// A pod of that name exists, but it is another one (recreated since); nil: the API
        /// server refused the write with 409 (replaced between the read and the write).
        case uidChanged(current: String?)
        /// The pod already carries evidence seen at or after this one.
        case alreadyRecorded(seenAt: String)

        public var description: String {
            switch self {
            case .noPod: return "no pod named in the audit events (not a pod-bound token)"
            case .noTime: return "the audit events carry no time"
            case .podGone: return "pod gone"
            case .uidChanged(let current?): return "uid changed (the pod of that name now has uid \(current))"
            case .uidChanged(nil): return "uid changed (replaced while recording: the server refused the uid)"
            case .alreadyRecorded(let seenAt): return "already recorded (seen at \(seenAt))"
            }
        }
    }

    /// The pod as found: nil when there is none of that name.
    public struct FoundPod: Equatable, Sendable {
        public var uid: String
        public var annotations: [String: String]

        public init(uid: String, annotations: [String: String]) {
            self.uid = uid
            self.annotations = annotations
        }
    }

    /// The token in use was issued at seen − (N + 3607 s); N only grows while one token is used,
    /// so the largest N goes with the last time it was seen.
    public static func decide(_ evidence: PodStaleTokenEvidence, found: FoundPod?) -> EvidenceRecordDecision {
        guard evidence.pod != nil, let uid = evidence.podUID else { return .skip(.noPod) }
        guard let seen = evidence.lastSeen else { return .skip(.noTime) }
        guard let found else { return .skip(.podGone) }
        guard found.uid == uid else { return .skip(.uidChanged(current: found.uid)) }
        if let recorded = found.annotations[PolicyAnnotation.staleTokenSeenAt], let at = Timestamp(rfc3339: recorded), at >= seen {
            return .skip(.alreadyRecorded(seenAt: recorded))
        }
        let issued = seen - evidence.tokenAgeSeconds
        return .write(annotations: [
            PolicyAnnotation.staleTokenIssuedAt: issued.rfc3339, PolicyAnnotation.staleTokenSeenAt: seen.rfc3339,
        ])
    }
}
