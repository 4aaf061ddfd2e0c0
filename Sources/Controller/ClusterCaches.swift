import APIClient
import Assess
import KubeModel
import Logging
import WatchCache

/// The watch caches of every kind the controller reads, kept current by one reflector each:
/// pods, namespaces, and one cache per registered workload kind (`WorkloadKindRegistry`).
/// Only the fields the controller needs are decoded and cached (see KubeModel), objects without
/// the labels and annotations it never reads (`CachedMetadata`); pods are kept as compact records.
public final class ClusterCaches: Sendable {
    public let pods: ObjectStore<PodRecord>
    public let namespaces: ObjectStore<Namespace>
    /// In registry order.
    let workloads: [WorkloadCache]
    /// The same by model type (the first registered kind of each): an incremental pass looks
    /// owners up by it for every changed group.
    private let workloadsByModel: [ObjectIdentifier: WorkloadCache]
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
        podGroupIndex = PodGroupIndex { changes.podGroupChanged($0) }
        pods = ObjectStore(index: podGroupIndex) { _ in notify() }
        namespaces = ObjectStore { change in
            changes.namespaceChanged(change.object.metadata.name)
            notify()
        }
        workloads = WorkloadKindRegistry.all.map { spec in
            WorkloadCache(spec) { key, change in
                changes.objectChanged(key, change)
                notify()
            }
        }
        workloadsByModel = Dictionary(workloads.map { (ObjectIdentifier($0.spec.model), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A cached object of a registered kind's model by name, without a typed store: no generic
    /// type is made at run time for the lookup.
    func cachedObject<Object: KubeObject>(_ type: Object.Type, namespace: String, name: String) -> Object? {
        workloadsByModel[ObjectIdentifier(type)]?.object(namespace, name) as? Object
    }

    /// The cache of a registered kind's model (`caches.store(Deployment.self)`).
    public func store<Object: KubeObject>(_ type: Object.Type) -> ObjectStore<Object> {
        if let store = workloadsByModel[ObjectIdentifier(type)]?.store(type) { return store }
        preconditionFailure("\(Object.self) is not a registered workload kind's model (WorkloadKindRegistry)")
    }

    /// Whether a discovered kind's cache is in use (see `WorkloadKindAvailability`).
    public func isWatching(_ kind: WorkloadKind) -> Bool { workloads.first { $0.spec.kind == kind }?.isActive ?? false }

    public var hasSynced: Bool {
        pods.hasSynced && namespaces.hasSynced && workloads.allSatisfy(\.hasSynced)
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
        var snapshot = ClusterSnapshot(podRecords: pods.list(), namespaces: namespaces.list())
        for cache in workloads { cache.copy(into: &snapshot) }
        return snapshot
    }

    /// Runs one reflector per kind and per watched namespace (nil: cluster-wide) until cancelled.
    /// Discovered kinds are looked up first and watched only when available.
    public func run(
        client: KubeClient, namespaces scope: [String]?, initialSync: InitialSync = .stream,
        observer: any ReflectorObserver, logger: Logger
    ) async {
        for cache in workloads where cache.spec.discovered {
            let availability = await WorkloadKindAvailability.check(cache.spec, client: client, namespace: scope?.first)
            availability.log(cache.spec, logger: logger)
            cache.isActive = availability == .available
        }
        let active = workloads.filter(\.isActive)
        let streamingSupport = StreamingSyncSupport()  // one answer per resource, whatever the namespace
        if let scope {
            // One reflector per namespace fills each store: synced once all of them have listed.
            let names = Set(scope)
            pods.expectPartitions(names)
            namespaces.expectPartitions(names)
            for cache in active { cache.expectPartitions(names) }
        }
        await withTaskGroup(of: Void.self) { group in
            // Namespaces are cluster-scoped: with a namespace list, each is watched by name.
            if let scope {
                for ns in scope {
                    let reflector = Reflector<Namespace, Namespace>(
                        client: client, store: namespaces,
                        options: .init(fieldSelector: "metadata.name=\(ns)", partition: StorePartition(name: ns) { $0.metadata.name == ns },
                                       initialSync: initialSync, streamingSupport: streamingSupport),
                        logger: logger, observer: observer, transform: { $0.cachedForm })
                    group.addTask { await reflector.run() }
                }
            } else {
                let reflector = Reflector<Namespace, Namespace>(
                    client: client, store: namespaces, options: .init(initialSync: initialSync, streamingSupport: streamingSupport),
                    logger: logger, observer: observer, transform: { $0.cachedForm })
                group.addTask { await reflector.run() }
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
                for cache in active {
                    group.addTask(operation: cache.makeReflector(client: client, namespace: ns, initialSync: initialSync,
                                                                 streamingSupport: streamingSupport, logger: logger, observer: observer))
                }
            }
        }
    }
}
