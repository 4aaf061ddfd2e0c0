import KubeModel

/// `{"metadata":{"uid":…,"annotations":{…}},"spec":{"restartAt":…}}` for an Argo Rollout.
public struct RestartAtPatch: Encodable, Sendable {
    public struct Spec: Encodable, Sendable { public var restartAt: String }

    public var metadata: RolloutPatch.Metadata
    public var spec: Spec

    public init(uid: String?, now: Timestamp, deadline: Timestamp) {
        metadata = RolloutPatch.Metadata(uid: uid, annotations: RestartState.annotations(restartedAt: now, forDeadline: deadline))
        spec = Spec(restartAt: now.rfc3339)
    }
}
