import APIClient
import Assess
import KubeModel

/// Lists, once, everything the token-age model needs (for `report`); the controller keeps the
/// same data current with reflectors instead.
public struct SnapshotFetcher: Sendable {
    public let client: KubeClient
    /// nil: every namespace.
    public let namespace: String?
    public let progress: (@Sendable (String) -> Void)?

    public init(client: KubeClient, namespace: String?, progress: (@Sendable (String) -> Void)? = nil) {
        self.client = client
        self.namespace = namespace
        self.progress = progress
    }

    public func fetch() async throws -> ClusterSnapshot {
        let ns = namespace
        let progress = self.progress
        let records = PodRecordBuilder()
        async let pods = client.listAll(Pod.self, namespace: ns, progress: { done, total in
            progress?("listed \(done)\(total.map { " of \($0)" } ?? "") pods")
        }, transform: records.record).items
        async let replicaSets = client.listAll(ReplicaSet.self, namespace: ns, transform: \.cachedForm).items
        async let deployments = client.listAll(Deployment.self, namespace: ns, transform: \.cachedForm).items
        async let statefulSets = client.listAll(StatefulSet.self, namespace: ns, transform: \.cachedForm).items
        async let daemonSets = client.listAll(DaemonSet.self, namespace: ns, transform: \.cachedForm).items
        async let controllers = client.listAll(ReplicationController.self, namespace: ns, transform: \.cachedForm).items
        async let jobs = client.listAll(Job.self, namespace: ns, transform: \.cachedForm).items
        async let namespaces = fetchNamespaces()
        return try await ClusterSnapshot(
            podRecords: pods, namespaces: namespaces, replicaSets: replicaSets, deployments: deployments,
            statefulSets: statefulSets, daemonSets: daemonSets, replicationControllers: controllers, jobs: jobs)
    }

    /// The namespaces' annotations carry policy. With one namespace, GET just that one (a
    /// namespaced identity may not list namespaces).
    private func fetchNamespaces() async throws -> [Namespace] {
        if let namespace {
            return [try await client.get(Namespace.self, namespace: nil, name: namespace).cachedForm]
        }
        return try await client.listAll(Namespace.self, transform: \.cachedForm).items
    }
}
