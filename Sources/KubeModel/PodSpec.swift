/// The part of a pod's `spec` the controller reads.
public struct PodSpec: Codable, Hashable, Sendable {
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var nodeName: String?
    public var volumes: [Volume]?
    public var containers: [Container]
    public var initContainers: [Container]?
    public var ephemeralContainers: [Container]?

    public init(
        serviceAccountName: String? = nil, automountServiceAccountToken: Bool? = nil, nodeName: String? = nil,
        volumes: [Volume]? = nil, containers: [Container] = [], initContainers: [Container]? = nil,
        ephemeralContainers: [Container]? = nil
    ) {
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.volumes = volumes
        self.containers = containers
        self.initContainers = initContainers
        self.ephemeralContainers = ephemeralContainers
    }

    enum CodingKeys: String, CodingKey {
        case serviceAccountName, automountServiceAccountToken, nodeName, volumes, containers, initContainers, ephemeralContainers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serviceAccountName = try c.decodeIfPresent(String.self, forKey: .serviceAccountName)
        automountServiceAccountToken = try c.decodeIfPresent(Bool.self, forKey: .automountServiceAccountToken)
        nodeName = try c.decodeIfPresent(String.self, forKey: .nodeName)
        volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes)
        containers = try c.decodeIfPresent([Container].self, forKey: .containers) ?? []
        initContainers = try c.decodeIfPresent([Container].self, forKey: .initContainers)
        ephemeralContainers = try c.decodeIfPresent([Container].self, forKey: .ephemeralContainers)
    }
}

/// A container (regular, init or ephemeral): its name, its mounts and, for init containers,
/// `restartPolicy: Always`, which makes it a sidecar that keeps running beside the app.
public struct Container: Codable, Hashable, Sendable {
    public var name: String
    public var restartPolicy: String?
    public var volumeMounts: [VolumeMount]?

    public init(name: String, restartPolicy: String? = nil, volumeMounts: [VolumeMount]? = nil) {
        self.name = name
        self.restartPolicy = restartPolicy
        self.volumeMounts = volumeMounts
    }
}

public struct VolumeMount: Codable, Hashable, Sendable {
    public var name: String
    public var mountPath: String

    public init(name: String, mountPath: String) {
        self.name = name
        self.mountPath = mountPath
    }
}

/// A pod volume; only the two kinds that can carry a ServiceAccount token are decoded.
public struct Volume: Codable, Hashable, Sendable {
    public var name: String
    public var projected: ProjectedVolumeSource?
    public var secret: SecretVolumeSource?

    public init(name: String, projected: ProjectedVolumeSource? = nil, secret: SecretVolumeSource? = nil) {
        self.name = name
        self.projected = projected
        self.secret = secret
    }
}

public struct ProjectedVolumeSource: Codable, Hashable, Sendable {
    public var sources: [VolumeProjection]?

    public init(sources: [VolumeProjection]? = nil) { self.sources = sources }
}

/// One projection; configMap / downwardAPI / clusterTrustBundle sources decode as empty.
public struct VolumeProjection: Codable, Hashable, Sendable {
    public var serviceAccountToken: ServiceAccountTokenProjection?

    public init(serviceAccountToken: ServiceAccountTokenProjection? = nil) {
        self.serviceAccountToken = serviceAccountToken
    }
}

public struct ServiceAccountTokenProjection: Codable, Hashable, Sendable {
    /// Empty or absent: the API server's own audience.
    public var audience: String?
    /// Absent means the API server default of 3600 s.
    public var expirationSeconds: Int64?
    public var path: String

    public init(audience: String? = nil, expirationSeconds: Int64? = nil, path: String = "token") {
        self.audience = audience
        self.expirationSeconds = expirationSeconds
        self.path = path
    }
}

public struct SecretVolumeSource: Codable, Hashable, Sendable {
    public var secretName: String?

    public init(secretName: String? = nil) { self.secretName = secretName }
}
