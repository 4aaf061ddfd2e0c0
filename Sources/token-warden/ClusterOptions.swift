import APIClient
import ArgumentParser
import Foundation

/// How to reach the cluster, with kubectl's conventions (also as `kubectl token-warden`):
/// `--kubeconfig`, else `$KUBECONFIG`, else the in-cluster ServiceAccount, else `~/.kube/config`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Path to a kubeconfig file (default: $KUBECONFIG, in-cluster, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current context).")
    var context: String?

    func load(onTokenReload: @escaping @Sendable () -> Void = {}) throws -> ClusterConfig {
        let environment = ProcessInfo.processInfo.environment
        if kubeconfig == nil, context == nil, environment["KUBECONFIG"]?.isEmpty ?? true, InClusterConfig.isAvailable() {
            return try InClusterConfig.load(onTokenReload: onTokenReload)
        }
        return try KubeconfigLoader.load(explicitPath: kubeconfig, context: context)
    }
}
