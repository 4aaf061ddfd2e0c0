public typealias ReplicationController = WorkloadObject<ReplicationControllerModel>

public enum ReplicationControllerModel: WorkloadModel {
    public typealias Spec = ReplicaSpec
    public typealias Status = ReplicaStatus

    public static var resource: ResourceDescriptor { .replicationControllers }
}
