/// What kind of container holds a token.
public enum ContainerRole: String, Hashable, Sendable, Codable {
    case regular
    /// An init container with `restartPolicy: Always` that keeps running beside the app.
    case sidecar
    case ephemeral
}
