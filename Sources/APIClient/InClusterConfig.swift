import Foundation

/// The configuration a pod gets from Kubernetes: `KUBERNETES_SERVICE_HOST/PORT` and the
/// projected ServiceAccount files.
public enum InClusterConfig {
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// `ClusterConfig.origin` of a configuration loaded here.
    public static let origin = "in-cluster"

    /// True when the process runs in a pod (the service environment variables are set).
    public static func isAvailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["KUBERNETES_SERVICE_HOST"] != nil && environment["KUBERNETES_SERVICE_PORT"] != nil
    }

    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = defaultDirectory,
        onTokenReload: @escaping @Sendable () -> Void = {}
    ) throws -> ClusterConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw ConfigError(field: "KUBERNETES_SERVICE_HOST", problem: "not set: not running in a pod (use --kubeconfig)")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty, Int(port) != nil else {
            throw ConfigError(field: "KUBERNETES_SERVICE_PORT", problem: "not set or not a port number")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host  // IPv6 literal
        let tokenPath = directory + "/token"
        let caPath = directory + "/ca.crt"
        guard FileManager.default.isReadableFile(atPath: caPath) else {
            throw ConfigError(file: caPath, problem: "the ServiceAccount CA certificate is missing or unreadable")
        }
        let token = TokenSource.file(tokenPath, onReload: onTokenReload)
        _ = try token.token()  // fail now, with the path, if the token cannot be read
        let namespacePath = directory + "/namespace"
        var declared: String?
        if let data = FileManager.default.contents(atPath: namespacePath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { declared = text }
        }
        let namespace = declared ?? "default"
        var config = ClusterConfig(
            server: "https://\(hostPart):\(port)",
            tls: .init(certificateAuthority: .file(caPath)),
            token: token, namespace: namespace, origin: origin)
        config.declaredNamespace = declared
        return config
    }
}
