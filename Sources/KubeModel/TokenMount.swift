/// One ServiceAccount-token source a running container mounts, with when that container
/// started: what the token-age model needs of a pod's spec and status, kept in the cache
/// instead of the spec and status themselves.
public struct TokenMount: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// A projected `serviceAccountToken` source; `expirationSeconds` nil means the server's
        /// default, `audience` empty means the API server's own audience.
        case projected(expirationSeconds: Int64?, audience: String)
        /// A token Secret mounted at `/var/run/secrets/kubernetes.io/serviceaccount`.
        case legacySecret(secretName: String?)
    }

    public var container: String
    public var volume: String
    public var role: ContainerRole
    public var source: Source
    public var startedAt: Timestamp
    public var startSource: ContainerStartSource

    public init(container: String, volume: String, role: ContainerRole, source: Source, startedAt: Timestamp, startSource: ContainerStartSource) {
        self.container = container
        self.volume = volume
        self.role = role
        self.source = source
        self.startedAt = startedAt
        self.startSource = startSource
    }

    public static let legacyMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The token sources of every running container of `pod` that can hold one: regular
    /// containers, sidecars (init containers with `restartPolicy: Always`) and ephemeral
    /// containers, in that order and in mount order. Audiences are not judged here.
    public static func mounts(of pod: Pod) -> [TokenMount] {
        guard let volumes = pod.spec.volumes, !volumes.isEmpty, let status = pod.status else { return [] }
        var found: [TokenMount] = []
        func add(_ containers: [Container]?, _ statuses: [ContainerStatus]?, role: ContainerRole, only: (Container) -> Bool) {
            for container in containers ?? [] where only(container) {
                guard let mounts = container.volumeMounts, !mounts.isEmpty,
                      let running = statuses?.first(where: { $0.name == container.name }), running.isRunning
                else { continue }
                let (start, startSource): (Timestamp, ContainerStartSource)
                if let startedAt = running.runningSince {
                    (start, startSource) = (startedAt, .containerStartedAt)
                } else if let podStart = status.startTime {
                    (start, startSource) = (podStart, .podStartTime)
                } else {
                    // The API server always sets creationTimestamp; epoch only for hand-built objects.
                    (start, startSource) = (pod.metadata.creationTimestamp ?? Timestamp(seconds: 0), .podCreation)
                }
                for mount in mounts {
                    guard let volume = volumes.first(where: { $0.name == mount.name }) else { continue }
                    for source in volume.projected?.sources ?? [] {
                        guard let token = source.serviceAccountToken else { continue }
                        found.append(TokenMount(
                            container: container.name, volume: volume.name, role: role,
                            source: .projected(expirationSeconds: token.expirationSeconds, audience: token.audience ?? ""),
                            startedAt: start, startSource: startSource))
                    }
                    if let secret = volume.secret, isLegacyMountPath(mount.mountPath) {
                        found.append(TokenMount(
                            container: container.name, volume: volume.name, role: role,
                            source: .legacySecret(secretName: secret.secretName), startedAt: start, startSource: startSource))
                    }
                }
            }
        }
        add(pod.spec.containers, status.containerStatuses, role: .regular) { _ in true }
        add(pod.spec.initContainers, status.initContainerStatuses, role: .sidecar) { $0.restartPolicy == "Always" }
        add(pod.spec.ephemeralContainers, status.ephemeralContainerStatuses, role: .ephemeral) { _ in true }
        return found
    }

    /// The legacy path, ignoring trailing slashes.
    static func isLegacyMountPath(_ path: String) -> Bool {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path == legacyMountPath
    }
}
