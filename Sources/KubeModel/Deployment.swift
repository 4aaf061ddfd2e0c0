public typealias Deployment = WorkloadObject<DeploymentModel>

public enum DeploymentModel: WorkloadModel {
    public static var resource: ResourceDescriptor { .deployments }

    public struct Spec: PodTemplateSpec {
        public var replicas: Int?
        public var paused: Bool?
        public var strategy: UpdateStrategy?
        public var template: PodTemplate?

        public init() {}

        public init(replicas: Int? = nil, paused: Bool? = nil, strategy: UpdateStrategy? = nil, template: PodTemplate? = nil) {
            self.replicas = replicas
            self.paused = paused
            self.strategy = strategy
            self.template = template
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        public var replicas: Int?
        public var updatedReplicas: Int?
        public var readyReplicas: Int?
        public var availableReplicas: Int?
        public var unavailableReplicas: Int?
        public var conditions: [WorkloadCondition]?

        public init(
            observedGeneration: Int64? = nil, replicas: Int? = nil, updatedReplicas: Int? = nil,
            readyReplicas: Int? = nil, availableReplicas: Int? = nil, unavailableReplicas: Int? = nil,
            conditions: [WorkloadCondition]? = nil
        ) {
            self.observedGeneration = observedGeneration
            self.replicas = replicas
            self.updatedReplicas = updatedReplicas
            self.readyReplicas = readyReplicas
            self.availableReplicas = availableReplicas
            self.unavailableReplicas = unavailableReplicas
            self.conditions = conditions
        }
    }
}
