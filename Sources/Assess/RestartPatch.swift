import KubeModel

/// The one write that starts a workload kind's own restart, as its registry entry builds it.
public struct RestartPatch: Sendable {
    public enum Format: Sendable {
        case strategicMerge
        case merge
    }

    public var format: Format
    /// Encoded as the request body.
    public var document: any Encodable & Sendable
    /// What the patch set, for the RestartStarted Event (`kubectl.kubernetes.io/restartedAt=…`).
    public var summary: String

    public init(format: Format, document: any Encodable & Sendable, summary: String) {
        self.format = format
        self.document = document
        self.summary = summary
    }

    /// `kubectl rollout restart`'s template annotation (and ours) plus the restart state on the
    /// workload, as one strategic-merge patch.
    public static func podTemplate(uid: String?, now: Timestamp, deadline: Timestamp) -> RestartPatch {
        RestartPatch(format: .strategicMerge, document: RolloutPatch(uid: uid, now: now, deadline: deadline),
                     summary: "\(PolicyAnnotation.kubectlRestartedAt)=\(now.rfc3339)")
    }

    /// Argo Rollouts' own restart (what `kubectl argo rollouts restart` sends, a merge patch):
    /// `spec.restartAt` now, plus the restart state on the workload.
    public static func restartAt(uid: String?, now: Timestamp, deadline: Timestamp) -> RestartPatch {
        RestartPatch(format: .merge, document: RestartAtPatch(uid: uid, now: now, deadline: deadline),
                     summary: "spec.restartAt=\(now.rfc3339)")
    }
}
