public typealias DaemonSet = WorkloadObject<DaemonSetModel>

public enum DaemonSetModel: WorkloadModel {
    public static var resource: ResourceDescriptor { .daemonSets }

    public struct Spec: PodTemplateSpec {
        public var updateStrategy: UpdateStrategy?
        public var template: PodTemplate?

        public init() {}

        public init(updateStrategy: UpdateStrategy? = nil, template: PodTemplate? = nil) {
            self.updateStrategy = updateStrategy
            self.template = template
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var observedGeneration: Int64?
        public var desiredNumberScheduled: Int?
        public var currentNumberScheduled: Int?
        public var updatedNumberScheduled: Int?
        public var numberReady: Int?
        public var numberAvailable: Int?
        public var numberUnavailable: Int?

        public init(
            observedGeneration: Int64? = nil, desiredNumberScheduled: Int? = nil, currentNumberScheduled: Int? = nil,
            updatedNumberScheduled: Int? = nil, numberReady: Int? = nil, numberAvailable: Int? = nil,
            numberUnavailable: Int? = nil
        ) {
            self.observedGeneration = observedGeneration
            self.desiredNumberScheduled = desiredNumberScheduled
            self.currentNumberScheduled = currentNumberScheduled
            self.updatedNumberScheduled = updatedNumberScheduled
            self.numberReady = numberReady
            self.numberAvailable = numberAvailable
            self.numberUnavailable = numberUnavailable
        }
    }
}
