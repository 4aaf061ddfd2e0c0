/// Status shared by ReplicaSets and ReplicationControllers.
public struct ReplicaStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var replicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?

    public init(observedGeneration: Int64? = nil, replicas: Int? = nil, readyReplicas: Int? = nil, availableReplicas: Int? = nil) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
    }
}

/// `spec` shared by ReplicaSets and ReplicationControllers.
public struct ReplicaSpec: Codable, Hashable, Sendable {
    public var replicas: Int?

    public init(replicas: Int? = nil) { self.replicas = replicas }
}

public struct ReplicaSet: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .replicaSets }

    public var metadata: ObjectMeta
    public var spec: ReplicaSpec
    public var status: ReplicaStatus?

    public init(metadata: ObjectMeta, spec: ReplicaSpec = ReplicaSpec(), status: ReplicaStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
