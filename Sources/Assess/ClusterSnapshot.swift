import KubeModel

/// Everything the assessment reads, as listed or cached at one moment. Pods come as cache
/// records (`PodRecord`); the workload objects as decoded, one list per registered kind
/// (`WorkloadKindRegistry`) that was listed — a kind not listed (a CRD not served or not
/// permitted) is absent, not empty.
public struct ClusterSnapshot: Sendable {
    public var pods: [PodRecord]
    public var namespaces: [Namespace]
    /// By model type: `[Object]` for each listed kind.
    private var workloads: [ObjectIdentifier: any Sendable] = [:]

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

    /// The core kinds are always listed (empty when there are none); discovered kinds are added
    /// with `setObjects` when they were listed.
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

    /// The objects of a listed kind; nil when the kind was not listed.
    public func listed<Object: KubeObject>(_ type: Object.Type) -> [Object]? {
        workloads[ObjectIdentifier(type)] as? [Object]
    }

    /// The objects of a kind (empty when not listed); setting them marks the kind listed.
    public subscript<Object: KubeObject>(objects type: Object.Type) -> [Object] {
        get { listed(type) ?? [] }
        _modify {
            // Taken out first so the array is uniquely referenced while it is changed.
            var objects = workloads.removeValue(forKey: ObjectIdentifier(type)) as? [Object] ?? []
            defer { workloads[ObjectIdentifier(type)] = objects }
            yield &objects
        }
        set { workloads[ObjectIdentifier(type)] = newValue }
    }

    /// Marks a kind's model as listed with these objects (type-erased: the registry's model type).
    public mutating func setObjects<Object: KubeObject>(_ objects: [Object]) {
        workloads[ObjectIdentifier(Object.self)] = objects
    }

    // The core kinds by name, for callers that build snapshots by hand.
    public var replicaSets: [ReplicaSet] {
        get { self[objects: ReplicaSet.self] }
        _modify { yield &self[objects: ReplicaSet.self] }
    }
    public var deployments: [Deployment] {
        get { self[objects: Deployment.self] }
        _modify { yield &self[objects: Deployment.self] }
    }
    public var statefulSets: [StatefulSet] {
        get { self[objects: StatefulSet.self] }
        _modify { yield &self[objects: StatefulSet.self] }
    }
    public var daemonSets: [DaemonSet] {
        get { self[objects: DaemonSet.self] }
        _modify { yield &self[objects: DaemonSet.self] }
    }
    public var replicationControllers: [ReplicationController] {
        get { self[objects: ReplicationController.self] }
        _modify { yield &self[objects: ReplicationController.self] }
    }
    public var jobs: [Job] {
        get { self[objects: Job.self] }
        _modify { yield &self[objects: Job.self] }
    }
}
