/// `Normal` or `Warning`, the two Event types Kubernetes knows.
public enum EventType: String, Sendable, Hashable, Codable {
    case normal = "Normal"
    case warning = "Warning"
}
