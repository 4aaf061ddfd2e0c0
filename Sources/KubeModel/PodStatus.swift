/// The part of a pod's `status` the controller reads.
public struct PodStatus: Codable, Hashable, Sendable {
    public var phase: String?
    public var startTime: Timestamp?
    public var conditions: [PodCondition]?
    public var containerStatuses: [ContainerStatus]?
    public var initContainerStatuses: [ContainerStatus]?
    public var ephemeralContainerStatuses: [ContainerStatus]?

    public init(
        phase: String? = nil, startTime: Timestamp? = nil, conditions: [PodCondition]? = nil,
        containerStatuses: [ContainerStatus]? = nil, initContainerStatuses: [ContainerStatus]? = nil,
        ephemeralContainerStatuses: [ContainerStatus]? = nil
    ) {
        self.phase = phase
        self.startTime = startTime
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
        self.ephemeralContainerStatuses = ephemeralContainerStatuses
    }

    /// `Ready` condition is `True`.
    public var isReady: Bool {
        conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }
}

public struct PodCondition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String

    public init(type: String, status: String) {
        self.type = type
        self.status = status
    }
}

public struct ContainerStatus: Codable, Hashable, Sendable {
    public var name: String
    public var ready: Bool?
    public var restartCount: Int?
    public var state: ContainerState?

    public init(name: String, ready: Bool? = nil, restartCount: Int? = nil, state: ContainerState? = nil) {
        self.name = name
        self.ready = ready
        self.restartCount = restartCount
        self.state = state
    }

    /// When the current instance of the container started, if it is running.
    public var runningSince: Timestamp? { state?.running?.startedAt }
    public var isRunning: Bool { state?.running != nil }
}

/// Only `running` is decoded; `waiting` and `terminated` decode as absent.
public struct ContainerState: Codable, Hashable, Sendable {
    public var running: ContainerStateRunning?

    public init(running: ContainerStateRunning? = nil) { self.running = running }
}

public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: Timestamp?

    public init(startedAt: Timestamp? = nil) { self.startedAt = startedAt }
}
