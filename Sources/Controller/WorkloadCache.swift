import APIClient
import Assess
import KubeModel
import Logging
import Synchronization
import WatchCache

/// One registered workload kind's watch cache (`WorkloadKindSpec.model` objects, cached form),
/// with what `ClusterCaches` does to every kind: expect partitions, run reflectors, copy into a
/// snapshot. A discovered kind (a CRD) is inactive until the API server is found to serve it
/// and the controller may read it: an inactive cache neither blocks sync nor enters snapshots.
final class WorkloadCache: Sendable {
    let spec: WorkloadKindSpec
    /// `ObjectStore<Model>`, typed again by `store(_:)`.
    private let store: any Sendable
    private let active: Mutex<Bool>
    private let synced: @Sendable () -> Bool
    private let partitions: @Sendable (Set<String>) -> Void
    private let copy: @Sendable (inout ClusterSnapshot) -> Void
    /// A cached object by namespace and name.
    let object: @Sendable (_ namespace: String, _ name: String) -> (any KubeObject)?
    private let reflector: @Sendable (KubeClient, String?, InitialSync, StreamingSyncSupport, Logger, any ReflectorObserver)
        -> @Sendable () async -> Void

    /// `changed` hears of every cached object that is added, modified or deleted, and how.
    init<Object: KubeObject>(_ spec: WorkloadKindSpec, model: Object.Type, changed: @escaping @Sendable (CachedObjectKey, ObjectChange) -> Void) {
        let store = ObjectStore<Object> { change in
            changed(CachedObjectKey(change.object), ObjectChange(change.object, replacing: change.previous))
        }
        self.spec = spec
        self.store = store
        active = Mutex(!spec.discovered)
        synced = { store.hasSynced }
        partitions = { store.expectPartitions($0) }
        copy = { snapshot in snapshot.setObjects(store.list()) }
        object = { namespace, name in store.get(namespace: namespace, name: name) }
        reflector = { client, namespace, initialSync, streamingSupport, logger, observer in
            var partition: StorePartition<Object>?
            if let namespace {
                partition = StorePartition(name: namespace) { object in object.metadata.namespace == namespace }
            }
            // `transform` is a closure, not the key path `\.cachedForm`: a key path used as a
            // function is applied through the runtime's generic key-path projection at every event.
            let reflector = Reflector<Object, Object>(
                client: client, store: store, options: .init(namespace: namespace, partition: partition, initialSync: initialSync,
                                                            streamingSupport: streamingSupport),
                logger: logger, observer: observer, transform: { $0.cachedForm })
            return { await reflector.run() }
        }
    }

    convenience init(_ spec: WorkloadKindSpec, changed: @escaping @Sendable (CachedObjectKey, ObjectChange) -> Void) {
        self.init(spec, model: spec.model, changed: changed)
    }

    func store<Object: KubeObject>(_ type: Object.Type) -> ObjectStore<Object>? { store as? ObjectStore<Object> }

    var isActive: Bool {
        get { active.withLock { $0 } }
        set { active.withLock { $0 = newValue } }
    }

    var hasSynced: Bool { !isActive || synced() }

    func expectPartitions(_ names: Set<String>) { partitions(names) }

    /// Adds the cached objects to `snapshot` (the kind then counts as listed) when active.
    func copy(into snapshot: inout ClusterSnapshot) {
        if isActive { copy(&snapshot) }
    }

    /// A reflector filling this cache from one namespace (nil: cluster-wide).
    func makeReflector(
        client: KubeClient, namespace: String?, initialSync: InitialSync, streamingSupport: StreamingSyncSupport,
        logger: Logger, observer: any ReflectorObserver
    ) -> @Sendable () async -> Void {
        reflector(client, namespace, initialSync, streamingSupport, logger, observer)
    }
}
