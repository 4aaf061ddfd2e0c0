import KubeModel
import Testing

/// Watch caches keep objects without what the controller never reads.
@Suite struct CachedMetadataTests {
    static let annotations = [
        "token-warden.dev/mode": "report", "token-warden.dev/restarted-at": "2026-01-01T00:00:00Z",
        "kubectl.kubernetes.io/restartedAt": "2026-01-02T00:00:00Z",
        "deployment.kubernetes.io/revision": "7", "kubectl.kubernetes.io/last-applied-configuration": String(repeating: "x", count: 4096),
    ]
    static let kept = ["token-warden.dev/mode": "report", "token-warden.dev/restarted-at": "2026-01-01T00:00:00Z",
                       "kubectl.kubernetes.io/restartedAt": "2026-01-02T00:00:00Z"]

    static func meta(_ annotations: [String: String]?) -> ObjectMeta {
        ObjectMeta(name: "web", namespace: "shop", uid: "u-1", resourceVersion: "42", generation: 3,
                   labels: ["app": "web", "pod-template-hash": "698c77d944"], annotations: annotations,
                   ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u-0", controller: true)])
    }

    /// Through the protocol, as the caches' generic reflectors call it.
    static func cached<T: KubeObject>(_ object: T) -> T { object.cachedForm }

    @Test func metadataKeepsWhatIsReadAndNoLabels() {
        let rs = Self.cached(ReplicaSet(metadata: Self.meta(Self.annotations)))
        #expect(rs.metadata.labels == nil)
        #expect(rs.metadata.annotations == Self.kept)
        var expected = Self.meta(Self.kept)
        expected.labels = nil
        #expect(rs.metadata == expected)  // name, uid, resourceVersion, generation, owners untouched
    }

    @Test func presentButUnreadAnnotationsStayAnEmptyMap() {
        #expect(Self.cached(Namespace(metadata: Self.meta(["team": "a"]))).metadata.annotations == [:])
        #expect(Self.cached(Namespace(metadata: Self.meta(nil))).metadata.annotations == nil)
    }

    @Test func templatesKeepOnlyWhatIsRead() {
        let template = PodTemplate(metadata: PodTemplateMetadata(annotations: Self.annotations))
        let deployment = Self.cached(Deployment(metadata: Self.meta(nil), spec: .init(template: template)))
        let statefulSet = Self.cached(StatefulSet(metadata: Self.meta(nil), spec: .init(template: template)))
        let daemonSet = Self.cached(DaemonSet(metadata: Self.meta(nil), spec: .init(template: template)))
        #expect(deployment.spec.template?.metadata?.annotations == Self.kept)
        #expect(statefulSet.spec.template?.metadata?.annotations == Self.kept)
        #expect(daemonSet.spec.template?.metadata?.annotations == Self.kept)
        #expect(deployment.metadata.labels == nil && Self.cached(Deployment(metadata: Self.meta(nil))).spec.template == nil)
    }
}
