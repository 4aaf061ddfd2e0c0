import KubeModel

/// Everything the assessment reads, as listed or cached at one moment. Pods come as cache
/// records (`PodRecord`); the workload objects as decoded.
public struct ClusterSnapshot: Sendable {
    public var pods: [PodRecord]
    public var namespaces: [Namespace]
    public var replicaSets: [ReplicaSet]
    public var deployments: [Deployment]
    public var statefulSets: [StatefulSet]
    public var daemonSets: [DaemonSet]
    public var replicationControllers: [ReplicationController]
    public var jobs: [Job]

    /// From decoded pods (each made into a record).
    public init(
        pods: [Pod] = [], namespaces: [Namespace] = [], replicaSets: [ReplicaSet] = [], deployments: [Deployment] = [],
        statefulSets: [StatefulSet] = [], daemonSets: [DaemonSet] = [], replicationControllers: [ReplicationController] = [],
        jobs: [Job] = []
    ) {
        let builder = PodRecordBuilder()
        self.init(
            podRecords: builder.records(pods), namespaces: namespaces, replicaSets: replicaSets, deployments: deployments,
            statefulSets: statefulSets, daemonSets: daemonSets, replicationControllers: replicationControllers, jobs: jobs)
    }

    public init(
        podRecords pods: [PodRecord], namespaces: [Namespace] = [], replicaSets: [ReplicaSet] = [], deployments: [Deployment] = [],
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
