/// What the watch caches keep of an object's metadata: what the controller reads. It never reads
/// labels, and of the annotations only `token-warden.dev/…` (policy, restart state) and
/// `kubectl.kubernetes.io/restartedAt` (a template's rollout restart). Everything else a cluster
/// puts there — `deployment.kubernetes.io/*` on every ReplicaSet, kubectl's
/// `last-applied-configuration` (the whole object again), mesh and monitoring annotations on
/// templates — would otherwise be kept for every workload, for the life of the process.
public enum CachedMetadata {
    public static func isRead(annotation key: String) -> Bool {
        key.hasPrefix(PodRecord.annotationPrefix) || key == restartedAtAnnotation
    }

    public static let restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

    /// The annotations the controller reads; an object that has annotations keeps an empty
    /// map, not nil, so "present without any we read" stays distinguishable from "none".
    public static func annotations(_ annotations: [String: String]?) -> [String: String]? {
        guard let annotations else { return nil }
        return annotations.allSatisfy({ isRead(annotation: $0.key) }) ? annotations : annotations.filter { isRead(annotation: $0.key) }
    }

    public static func metadata(_ metadata: ObjectMeta) -> ObjectMeta {
        var kept = metadata
        kept.labels = nil
        kept.annotations = annotations(metadata.annotations)
        return kept
    }

    public static func template(_ template: PodTemplate?) -> PodTemplate? {
        guard var template, let metadata = template.metadata else { return template }
        template.metadata = PodTemplateMetadata(annotations: annotations(metadata.annotations))
        return template
    }
}
