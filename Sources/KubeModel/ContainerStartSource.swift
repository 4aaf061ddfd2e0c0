/// Which timestamp a container's start was read from.
public enum ContainerStartSource: String, Hashable, Sendable, Codable {
    case containerStartedAt = "container"
    case podStartTime = "pod-start"
    case podCreation = "pod-creation"
}
