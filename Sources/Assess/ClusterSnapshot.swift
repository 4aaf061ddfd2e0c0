import KubeModel

/// Everything the assessment reads, as listed or cached at one moment.
public struct ClusterSnapshot: Sendable {
    public var pods: [Pod]
    public var namespaces: [Namespace]
    public var replicaSets: [ReplicaSet]
    public var deployments: [Deployment]
    public var statefulSets: [StatefulSet]
    public var daemonSets: [DaemonSet]
    public var replicationControllers: [ReplicationController]
    public var jobs: [Job]

    public init(
        pods: [Pod] = [], namespaces: [Namespace] = [], replicaSets: [ReplicaSet] = [], deployments: [Deployment] = [],
        statefulSets: [StatefulSet] = [], daemonSets: [DaemonSet] = [], replicationControllers: [ReplicationController] = [],
        jobs: [Job] = []
    ) {
        self.pods = pods
        self.namespaces = namespaces
        self.replicaSets = replicaSets
        self.deployments = deployments
        self.statefulSets = statefulSets
        self.daemonSets = daemonSets
        self.replicationControllers = replicationControllers
        self.jobs = jobs
    }
}
