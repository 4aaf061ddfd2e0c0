/// One workload kind's model: the resource it is served as and the shapes of its `spec` and
/// `status`, only the fields the controller reads and writes (`WorkloadObject<Model>` is the object).
public protocol WorkloadModel: Sendable {
    associatedtype Spec: WorkloadSpec
    associatedtype Status: Codable, Hashable, Sendable
    static var resource: ResourceDescriptor { get }
}
