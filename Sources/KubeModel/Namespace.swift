/// A namespace: its annotations carry namespace-wide token-warden policy.
public struct Namespace: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .namespaces }

    public var metadata: ObjectMeta
    public var status: Status?

    public init(metadata: ObjectMeta, status: Status? = nil) {
        self.metadata = metadata
        self.status = status
    }

    public struct Status: Codable, Hashable, Sendable {
        public var phase: String?

        public init(phase: String? = nil) { self.phase = phase }
    }
}
