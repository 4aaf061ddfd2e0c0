public typealias StatefulSet = WorkloadObject<StatefulSetModel>

public enum StatefulSetModel: WorkloadModel {
    public static var resource: ResourceDescriptor { .statefulSets }

    public struct Spec: PodTemplateSpec {
        public var replicas: Int?
        public var updateStrategy: UpdateStrategy?
        public var template: PodTemplate?

        public init() {}

        public init(replicas: Int? = nil, updateStrategy: UpdateStrategy? = nil, template: PodTemplate? = nil) {
            self.replicas = replicas
            self.updateStrategy = updateStrategy
            self.template = template
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        public var replicas: Int?
        public var readyReplicas: Int?
        public var currentReplicas: Int?
        public var updatedReplicas: Int?
        public var availableReplicas: Int?
        public var currentRevision: String?
        public var updateRevision: String?

        public init(
            observedGeneration: Int64? = nil, replicas: Int? = nil, readyReplicas: Int? = nil,
            currentReplicas: Int? = nil, updatedReplicas: Int? = nil, availableReplicas: Int? = nil,
            currentRevision: String? = nil, updateRevision: String? = nil
        ) {
            self.observedGeneration = observedGeneration
            self.replicas = replicas
            self.readyReplicas = readyReplicas
            self.currentReplicas = currentReplicas
            self.updatedReplicas = updatedReplicas
            self.availableReplicas = availableReplicas
            self.currentRevision = currentRevision
            self.updateRevision = updateRevision
        }
    }
}
