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

    // Stored packed, one per token source of a running container in the cache (~2 per pod): 56
    // bytes instead of 96 with `Source` stored as an enum; the volume name and the audience or
    // Secret name share one string, which stays inline (no heap) when together ≤ 15 bytes.
    public var container: String
    /// The volume name (only what follows `kube-api-access-` when `volumeIsAPIAccess`), then
    /// the projected source's audience or the legacy Secret's name.
    private let text: String
    /// `expirationSeconds`; `Int64.min` when absent.
    private let expiration: Int64
    public var startedAt: Timestamp
    private let volumeLength: UInt32
    public var role: ContainerRole
    public var startSource: ContainerStartSource
    private let kind: Kind
    private let volumeIsAPIAccess: Bool

    private enum Kind: UInt8, Hashable, Sendable {
        case projected, legacySecret, legacySecretUnnamed
    }

    public init(container: String, volume: String, role: ContainerRole, source: Source, startedAt: Timestamp, startSource: ContainerStartSource) {
        self.container = container
        self.startedAt = startedAt
        self.role = role
        self.startSource = startSource
        let packedVolume = TokenMount.pack(volume: volume)
        volumeIsAPIAccess = packedVolume.isAPIAccess
        volumeLength = UInt32(packedVolume.text.utf8.count)
        let detail: String
        switch source {
        case .projected(let expirationSeconds, let audience):
            (kind, expiration, detail) = (.projected, expirationSeconds ?? .min, audience)
        case .legacySecret(let secretName?):
            (kind, expiration, detail) = (.legacySecret, .min, secretName)
        case .legacySecret(nil):
            (kind, expiration, detail) = (.legacySecretUnnamed, .min, "")
        }
        text = detail.isEmpty ? packedVolume.text : packedVolume.text + detail
    }

    /// The ServiceAccount admission plugin names the volume it adds `kube-api-access-` and five
    /// random characters: a heap string per pod unless only the five are kept.
    static let apiAccessPrefix = "kube-api-access-"

    private static func pack(volume: String) -> (text: String, isAPIAccess: Bool) {
        let prefix = apiAccessPrefix.utf8
        guard volume.utf8.count > prefix.count, volume.utf8.starts(with: prefix) else { return (volume, false) }
        return (String(decoding: volume.utf8.dropFirst(prefix.count), as: UTF8.self), true)
    }

    private func textPart(from start: Int, to end: Int) -> String {
        UTF8Parts.withBytes(text) { String(decoding: UnsafeRawBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    public var volume: String {
        let stored = textPart(from: 0, to: Int(volumeLength))
        return volumeIsAPIAccess ? TokenMount.apiAccessPrefix + stored : stored
    }

    public var source: Source {
        let detail = textPart(from: Int(volumeLength), to: text.utf8.count)
        switch kind {
        case .projected: return .projected(expirationSeconds: expiration == .min ? nil : expiration, audience: detail)
        case .legacySecret: return .legacySecret(secretName: detail)
        case .legacySecretUnnamed: return .legacySecret(secretName: nil)
        }
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
