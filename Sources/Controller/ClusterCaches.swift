import APIClient
import Assess
import KubeModel
import Logging
import WatchCache

/// The watch caches of every kind the controller reads, kept current by one reflector each.
/// Only the fields the controller needs are decoded and cached (see KubeModel), objects without
/// the labels and annotations it never reads (`CachedMetadata`); pods are kept as compact records.
public final class ClusterCaches: Sendable {
    public let pods: ObjectStore<PodRecord>
    public let namespaces: ObjectStore<Namespace>
    public let replicaSets: ObjectStore<ReplicaSet>
    public let deployments: ObjectStore<Deployment>
    public let statefulSets: ObjectStore<StatefulSet>
    public let daemonSets: ObjectStore<DaemonSet>
    public let replicationControllers: ObjectStore<ReplicationController>
    public let jobs: ObjectStore<Job>
    /// Shares owner references among cached pods.
    public let podRecords = PodRecordBuilder()

    public init(signal: ChangeSignal) {
        let notify: @Sendable () -> Void = { signal.notify() }
        pods = ObjectStore { _ in notify() }
        namespaces = ObjectStore { _ in notify() }
        replicaSets = ObjectStore { _ in notify() }
        deployments = ObjectStore { _ in notify() }
        statefulSets = ObjectStore { _ in notify() }
        daemonSets = ObjectStore { _ in notify() }
        replicationControllers = ObjectStore { _ in notify() }
        jobs = ObjectStore { _ in notify() }
    }

    public var hasSynced: Bool {
        pods.hasSynced && namespaces.hasSynced && replicaSets.hasSynced && deployments.hasSynced
            && statefulSets.hasSynced && daemonSets.hasSynced && replicationControllers.hasSynced && jobs.hasSynced
    }

    /// One digest per cached resource, named as the API server names it (`/debug/caches`).
    public func digests() -> [CacheDigest] {
        [
            pods.digest(resource: "\(ResourceDescriptor.pods)"), namespaces.digest(resource: "\(Namespace.resource)"),
            replicaSets.digest(resource: "\(ReplicaSet.resource)"), deployments.digest(resource: "\(Deployment.resource)"),
            statefulSets.digest(resource: "\(StatefulSet.resource)"), daemonSets.digest(resource: "\(DaemonSet.resource)"),
            replicationControllers.digest(resource: "\(ReplicationController.resource)"), jobs.digest(resource: "\(Job.resource)"),
        ]
    }

    /// A consistent-enough view for one reconcile: each store is copied atomically.
    public func snapshot() -> ClusterSnapshot {
        ClusterSnapshot(
            podRecords: pods.list(), namespaces: namespaces.list(), replicaSets: replicaSets.list(),
            deployments: deployments.list(), statefulSets: statefulSets.list(), daemonSets: daemonSets.list(),
            replicationControllers: replicationControllers.list(), jobs: jobs.list())
    }

    /// Runs one reflector per kind and per watched namespace (nil: cluster-wide) until cancelled.
    public func run(
        client: KubeClient, namespaces scope: [String]?, initialSync: InitialSync = .stream,
        observer: any ReflectorObserver, logger: Logger
    ) async {
        let streamingSupport = StreamingSyncSupport()  // one answer per resource, whatever the namespace
        if let scope {
            // One reflector per namespace fills each store: synced once all of them have listed.
            let names = Set(scope)
            pods.expectPartitions(names)
            namespaces.expectPartitions(names)
            replicaSets.expectPartitions(names)
            deployments.expectPartitions(names)
            statefulSets.expectPartitions(names)
            daemonSets.expectPartitions(names)
            replicationControllers.expectPartitions(names)
            jobs.expectPartitions(names)
        }
        await withTaskGroup(of: Void.self) { group in
            func reflect<T: KubeObject>(_ store: ObjectStore<T>, namespace: String?) {
                var partition: StorePartition<T>?
                if let namespace {
                    partition = StorePartition(name: namespace) { object in object.metadata.namespace == namespace }
                }
                let reflector = Reflector<T, T>(
                    client: client, store: store, options: .init(namespace: namespace, partition: partition, initialSync: initialSync,
                                                                streamingSupport: streamingSupport),
                    logger: logger, observer: observer, transform: \.cachedForm)
                group.addTask { await reflector.run() }
            }
            // Namespaces are cluster-scoped: with a namespace list, each is watched by name.
            if let scope {
                for ns in scope {
                    let reflector = Reflector<Namespace, Namespace>(
                        client: client, store: namespaces,
                        options: .init(fieldSelector: "metadata.name=\(ns)", partition: StorePartition(name: ns) { $0.metadata.name == ns },
                                       initialSync: initialSync, streamingSupport: streamingSupport),
                        logger: logger, observer: observer, transform: \.cachedForm)
                    group.addTask { await reflector.run() }
                }
            } else {
                reflect(namespaces, namespace: nil)
            }
            for ns in scope ?? [nil] as [String?] {
                var partition: StorePartition<PodRecord>?
                if let ns { partition = StorePartition(name: ns) { record in record.namespace == ns } }
                let builder = podRecords
                let reflector = Reflector<Pod, PodRecord>(
                    client: client, store: pods, options: .init(namespace: ns, partition: partition, initialSync: initialSync,
                                                               streamingSupport: streamingSupport),
                    logger: logger, observer: observer, transform: { builder.record($0) })
                group.addTask { await reflector.run() }
                reflect(replicaSets, namespace: ns)
                reflect(deployments, namespace: ns)
                reflect(statefulSets, namespace: ns)
                reflect(daemonSets, namespace: ns)
                reflect(replicationControllers, namespace: ns)
                reflect(jobs, namespace: ns)
            }
        }
    }
}
