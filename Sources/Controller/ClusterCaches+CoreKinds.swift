import KubeModel
import WatchCache

// The core kinds' caches by name, for callers that fill or read them directly (tests, the
// reliability harness). A new kind needs none of these: it is read through the registry.
extension ClusterCaches {
    public var replicaSets: ObjectStore<ReplicaSet> { store(ReplicaSet.self) }
    public var deployments: ObjectStore<Deployment> { store(Deployment.self) }
    public var statefulSets: ObjectStore<StatefulSet> { store(StatefulSet.self) }
    public var daemonSets: ObjectStore<DaemonSet> { store(DaemonSet.self) }
    public var replicationControllers: ObjectStore<ReplicationController> { store(ReplicationController.self) }
    public var jobs: ObjectStore<Job> { store(Job.self) }
}
