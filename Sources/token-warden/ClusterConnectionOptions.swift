import APIClient
import ArgumentParser
import Foundation

/// How to reach the cluster, with kubectl's conventions (also as `kubectl token-warden`):
/// `--kubeconfig`, else `$KUBECONFIG`, else the in-cluster ServiceAccount, else `~/.kube/config`.
struct ClusterConnectionOptions: ParsableArguments {
    @Option(help: "Path to a kubeconfig file (default: $KUBECONFIG, in-cluster, then ~/.kube/config).")
    var kubeconfig: String?

    /// Several only for `report` (one report over a fleet); every other command takes one.
    @Option(name: .customLong("context"), help: "The kubeconfig context to use (default: its current context); `report` takes it more than once.")
    var contexts: [String] = []

    /// The one context asked for, if any.
    var context: String? { contexts.last }

    func load(onTokenReload: @escaping @Sendable () -> Void = {}) throws -> ClusterConfig {
        guard contexts.count <= 1 else { throw ValidationError("--context: this command works on one cluster; only report takes several") }
        return try load(context: context, onTokenReload: onTokenReload)
    }

    func load(context: String?, onTokenReload: @escaping @Sendable () -> Void = {}) throws -> ClusterConfig {
        let environment = ProcessInfo.processInfo.environment
        if kubeconfig == nil, context == nil, environment["KUBECONFIG"]?.isEmpty ?? true, InClusterConfig.isAvailable() {
            return try InClusterConfig.load(onTokenReload: onTokenReload)
        }
        return try KubeconfigLoader.load(explicitPath: kubeconfig, context: context)
    }

    /// Every context of the kubeconfig (`--all-contexts`).
    func allContexts() throws -> [String] {
        try KubeconfigLoader.contextNames(explicitPath: kubeconfig)
    }
}
