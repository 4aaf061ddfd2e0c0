/// `spec.template` of a workload, projected to its metadata: the controller reads and patches
/// only the template's annotations (`kubectl.kubernetes.io/restartedAt`).
public struct PodTemplate: Codable, Hashable, Sendable {
    public var metadata: PodTemplateMetadata?

    public init(metadata: PodTemplateMetadata? = nil) { self.metadata = metadata }

    public var annotations: [String: String] { metadata?.annotations ?? [:] }
}

public struct PodTemplateMetadata: Codable, Hashable, Sendable {
    public var annotations: [String: String]?

    public init(annotations: [String: String]? = nil) { self.annotations = annotations }
}

/// A status condition of a workload (`Progressing`, `Available`, `Complete`, …).
public struct WorkloadCondition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// `spec.strategy` / `spec.updateStrategy`: only the type (`RollingUpdate`, `Recreate`, `OnDelete`).
public struct UpdateStrategy: Codable, Hashable, Sendable {
    public var type: String?

    public init(type: String? = nil) { self.type = type }
}
