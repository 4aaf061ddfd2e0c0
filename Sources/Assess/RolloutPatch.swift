import KubeModel

/// `{"metadata":{"uid":…,"annotations":{…}},"spec":{"template":{"metadata":{"annotations":{…}}}}}`.
/// The uid makes the patch fail (422, uid is immutable) if the object was deleted and created
/// again under the same name since it was assessed.
public struct RolloutPatch: Encodable, Sendable {
    public struct Metadata: Encodable, Sendable {
        public var uid: String?
        public var annotations: [String: String]
    }
    public struct Template: Encodable, Sendable { public var metadata: TemplateMetadata }
    public struct TemplateMetadata: Encodable, Sendable { public var annotations: [String: String] }
    public struct Spec: Encodable, Sendable { public var template: Template }

    public var metadata: Metadata
    public var spec: Spec

    public init(uid: String?, now: Timestamp, deadline: Timestamp) {
        metadata = Metadata(uid: uid, annotations: RestartState.annotations(restartedAt: now, forDeadline: deadline))
        spec = Spec(template: Template(metadata: TemplateMetadata(annotations: [
            PolicyAnnotation.kubectlRestartedAt: now.rfc3339, PolicyAnnotation.restartedAt: now.rfc3339,
        ])))
    }
}
