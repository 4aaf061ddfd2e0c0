import Transport

/// Everything needed to reach one API server as one identity.
public struct ClusterConfig: Sendable {
    /// `https://host:port`, without a trailing slash.
    public var server: String
    public var tls: TLSSettings
    /// nil when the identity is a client certificate (in `tls`) or anonymous.
    public var token: TokenSource?
    /// The namespace of the current context or of the pod (in-cluster); "default" otherwise.
    public var namespace: String
    /// Where this configuration came from, for messages ("in-cluster", a kubeconfig path + context).
    public var origin: String
    /// The namespace the pod or the context names; nil when neither does (`namespace` is then
    /// "default", as kubectl's). Where the controller's own objects go when no flag says.
    public var declaredNamespace: String?

    public init(server: String, tls: TLSSettings, token: TokenSource?, namespace: String = "default", origin: String) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.tls = tls
        self.token = token
        self.namespace = namespace
        self.origin = origin
    }
}
