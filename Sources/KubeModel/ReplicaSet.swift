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
public struct ReplicaSpec: WorkloadSpec {
    public var replicas: Int?

    public init() {}

    public init(replicas: Int?) { self.replicas = replicas }
}

public typealias ReplicaSet = WorkloadObject<ReplicaSetModel>

public enum ReplicaSetModel: WorkloadModel {
    public typealias Spec = ReplicaSpec
    public typealias Status = ReplicaStatus

    public static var resource: ResourceDescriptor { .replicaSets }
}
