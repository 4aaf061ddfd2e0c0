/// A pod, projected to what the token-age model and the controller read.
public struct Pod: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .pods }

    public var metadata: ObjectMeta
    public var spec: PodSpec
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec = PodSpec(), status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case metadata, spec, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decodeIfPresent(PodSpec.self, forKey: .spec) ?? PodSpec()
        status = try c.decodeIfPresent(PodStatus.self, forKey: .status)
    }

    /// Static pods mirrored by the kubelet carry this annotation; they cannot be restarted through the API.
    public static let mirrorAnnotation = "kubernetes.io/config.mirror"

    public var isMirror: Bool { metadata.annotations?[Pod.mirrorAnnotation] != nil }
}
