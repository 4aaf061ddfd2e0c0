import KubeModel

/// Where a container's API token comes from.
public enum MountedTokenSource: Hashable, Sendable {
    /// A projected `serviceAccountToken` source for the API audience (e.g. `kube-api-access-*`).
    case projected(volume: String, expirationSeconds: Int64)
    /// A legacy token Secret mounted at `/var/run/secrets/kubernetes.io/serviceaccount`.
    case legacySecret(volume: String, secretName: String?)

    public var volume: String {
        switch self {
        case .projected(let volume, _), .legacySecret(let volume, _): return volume
        }
    }

    public static let legacyMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The API-token sources `container` mounts, in mount order.
    public static func detect(in container: Container, volumes: [String: Volume], apiAudiences: Set<String>) -> [MountedTokenSource] {
        var found: [MountedTokenSource] = []
        for mount in container.volumeMounts ?? [] {
            guard let volume = volumes[mount.name] else { continue }
            if let sources = volume.projected?.sources {
                for source in sources {
                    guard let token = source.serviceAccountToken else { continue }
                    let audience = token.audience ?? ""
                    guard audience.isEmpty || apiAudiences.contains(audience) else { continue }
                    found.append(.projected(volume: volume.name, expirationSeconds: token.expirationSeconds ?? TokenModel.defaultExpirationSeconds))
                }
            }
            if let secret = volume.secret, normalised(mount.mountPath) == legacyMountPath {
                found.append(.legacySecret(volume: volume.name, secretName: secret.secretName))
            }
        }
        return found
    }

    private static func normalised(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// A cached token mount as a source (the server's default expiry when the spec has none).
    /// Audiences are not judged here.
    public init(_ mount: TokenMount) {
        switch mount.source {
        case .projected(let expirationSeconds, _):
            self = .projected(volume: mount.volume, expirationSeconds: expirationSeconds ?? TokenModel.defaultExpirationSeconds)
        case .legacySecret(let secretName):
            self = .legacySecret(volume: mount.volume, secretName: secretName)
        }
    }
}
