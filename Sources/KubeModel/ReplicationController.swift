public struct ReplicationController: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .replicationControllers }

    public var metadata: ObjectMeta
    public var spec: ReplicaSpec
    public var status: ReplicaStatus?

    public init(metadata: ObjectMeta, spec: ReplicaSpec = ReplicaSpec(), status: ReplicaStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
