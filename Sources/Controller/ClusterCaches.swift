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
    /// The cached pods by owner, kept by the pod store on every event.
    public let podGroupIndex: PodGroupIndex
    /// What changed since the last pass (drained by the reconciler).
    public let changes: ClusterChangeLog

    public init(signal: ChangeSignal) {
        let notify: @Sendable () -> Void = { signal.notify() }
        let changes = ClusterChangeLog()
        self.changes = changes
        @Sendable func objectChanged<T: KubeObject>(_ change: StoreChange<T>) {
            changes.objectChanged(CachedObjectKey(change.object))
            notify()
        }
        podGroupIndex = PodGroupIndex { changes.podGroupChanged($0) }
        pods = ObjectStore(index: podGroupIndex) { _ in notify() }
        namespaces = ObjectStore { change in
            changes.namespaceChanged(change.object.metadata.name)
            notify()
        }
        replicaSets = ObjectStore(onChange: objectChanged)
        deployments = ObjectStore(onChange: objectChanged)
        statefulSets = ObjectStore(onChange: objectChanged)
        daemonSets = ObjectStore(onChange: objectChanged)
        replicationControllers = ObjectStore(onChange: objectChanged)
        jobs = ObjectStore(onChange: objectChanged)
    }

    public var hasSynced: Bool {
        pods.hasSynced && namespaces.hasSynced && replicaSets.hasSynced && deployments.hasSynced
            && statefulSets.hasSynced && daemonSets.hasSynced && replicationControllers.hasSynced && jobs.hasSynced
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
