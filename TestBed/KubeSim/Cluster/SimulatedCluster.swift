import Foundation
import Logging

/// The small cluster inside the simulated API server: admission, a kubelet, the workload
/// controllers (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, Argo Rollout),
/// the disruption controller with PDB-aware eviction, a garbage collector for owned objects, and
/// a recorder of rollouts. It watches the store like kube-controller-manager watches the API
/// server and writes back through it, so every change is visible to clients and watches.
///
/// Usage: `let cluster = SimulatedCluster(store: sim.store)`, `cluster.start()`,
/// `sim.evictionHandler = cluster.evictionHandler`, … `cluster.stop()`.
public final class SimulatedCluster: Sendable {
    public let store: ResourceStore
    public let options: ClusterOptions
    public let recorder: RolloutRecorder
    let logger: Logger
    let queue = WorkQueue()
    let revisions = RevisionMemory()
    /// When the kubelet first saw each Pending pod (by uid).
    let pendingSince = LockedBox<[String: Date]>([:])
    private let running = LockedBox<(subscription: StoreSubscription?, worker: Thread?)>((nil, nil))
    private let admissionInstalled = LockedBox(false)

    public init(store: ResourceStore, options: ClusterOptions = ClusterOptions(),
                logger: Logger = Logger(label: "kube-sim.cluster")) {
        self.store = store
        self.options = options
        self.logger = logger
        self.recorder = RolloutRecorder()
    }

    /// Installs admission, subscribes to changes and starts the controller thread.
    /// Does nothing when already running.
    public func start() {
        guard running.withLock({ $0.worker == nil }) else { return }
        let installHook = admissionInstalled.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        if installHook {
            for type in [ResourceCatalog.pods, ResourceCatalog.deployments, ResourceCatalog.statefulSets, ResourceCatalog.daemonSets,
                         ResourceCatalog.replicaSets, ResourceCatalog.replicationControllers, ResourceCatalog.jobs] {
                store.addAdmissionHook(for: type) { _, object, _ throws(StatusError) in APIDefaults.apply(&object, kind: type.kind) }
            }
            store.addAdmissionHook(for: ResourceCatalog.pods) { operation, object, _ throws(StatusError) in
                if operation == .create {
                    var random = SystemRandomNumberGenerator()
                    ServiceAccountAdmission.admit(&object, volumeSuffix: Self.randomSuffix(using: &random))
                }
            }
        }
        queue.resume()
        let startVersion = store.resourceVersion
        if options.initialSync { enqueueEverything(skipSettled: options.initialSyncSkipsSettled) }
        let subscription = store.subscribe(Self.watchedTypes, from: startVersion, name: "simulated-cluster") { [weak self] delivery in
            guard let self else { return }
            switch delivery {
            case .events(let events): for event in events { self.route(event) }
            case .resync: self.enqueueEverything()
            }
        }
        let worker = Thread { [weak self] in self?.workLoop() }
        worker.name = "kube-sim-cluster"
        worker.start()
        running.withLock { $0 = (subscription, worker) }
        logger.info("simulated cluster started", metadata: ["nodes": "\(options.nodes.count)", "readyDelay": "\(options.readyDelay)"])
    }

    public func stop() {
        let subscription = running.withLock { state -> StoreSubscription? in
            defer { state = (nil, nil) }
            return state.subscription
        }
        subscription?.cancel()
        queue.stop()
    }

    /// The eviction decision for `KubeSim.evictionHandler`: PodDisruptionBudgets honoured.
    public var evictionHandler: EvictionHandler {
        { [self] request, store throws(StatusError) in try Eviction.evict(request, store: store, cluster: self) }
    }

    /// True when nothing is queued (tests wait for a settled cluster with this and the recorder).
    public var isIdle: Bool { queue.count == 0 }

    static let watchedTypes = [
        ResourceCatalog.pods, ResourceCatalog.replicaSets, ResourceCatalog.replicationControllers,
        ResourceCatalog.deployments, ResourceCatalog.statefulSets, ResourceCatalog.daemonSets, ResourceCatalog.jobs,
        ResourceCatalog.argoRollouts, ResourceCatalog.podDisruptionBudgets,
    ]

    static func randomSuffix<R: RandomNumberGenerator>(using random: inout R) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    // MARK: Routing

    /// `skipSettled`: at start, workloads whose status already reports them complete for their
    /// current generation are left alone (a generated 150,000-pod cluster needs no work).
    private func enqueueEverything(skipSettled: Bool = false) {
        let kinds: [(ResourceType, WorkKey.Kind)] = [
            (ResourceCatalog.deployments, .deployment), (ResourceCatalog.replicaSets, .replicaSet),
            (ResourceCatalog.replicationControllers, .replicationController), (ResourceCatalog.statefulSets, .statefulSet),
            (ResourceCatalog.daemonSets, .daemonSet), (ResourceCatalog.jobs, .job), (ResourceCatalog.argoRollouts, .argoRollout),
        ]
        for (type, kind) in kinds {
            for object in store.objects(type) where !(skipSettled && Self.isSettled(object)) {
                queue.add(WorkKey(kind: kind, namespace: object.namespace, name: object.name))
            }
        }
        for object in store.objects(ResourceCatalog.podDisruptionBudgets) {
            queue.add(WorkKey(kind: .disruptionBudgets, namespace: object.namespace, name: ""))
        }
        for pod in store.objects(ResourceCatalog.pods) {
            let phase = pod.fields["status.phase"] ?? ""
            if phase == "Pending" || phase.isEmpty || pod.deletionPending || pod.fields["spec.nodeName"]?.isEmpty ?? true {
                queue.add(WorkKey(kind: .pod, namespace: pod.namespace, name: pod.name))
            }
        }
    }

    /// Status says the controller finished with this generation: all replicas updated and ready.
    static func isSettled(_ object: StoredObject) -> Bool {
        let value = object.value
        let status = value["status"]
        func count(_ key: String) -> Int64 { status?[key]?.intValue ?? -1 }
        guard count("observedGeneration") == object.generation else { return false }
        let replicas = value.value(at: ["spec", "replicas"])?.intValue ?? 1
        switch object.type {
        case ResourceCatalog.deployments:
            return count("updatedReplicas") == replicas && count("replicas") == replicas && count("availableReplicas") == replicas
        case ResourceCatalog.replicaSets, ResourceCatalog.replicationControllers:
            return count("replicas") == replicas && count("readyReplicas") == replicas
        case ResourceCatalog.statefulSets:
            return count("updatedReplicas") == replicas && count("readyReplicas") == replicas
                && status?["currentRevision"] == status?["updateRevision"]
        case ResourceCatalog.daemonSets:
            let desired = count("desiredNumberScheduled")
            return desired >= 0 && count("updatedNumberScheduled") == desired && count("numberReady") == desired
        default:
            return false
        }
    }

    private func route(_ event: WatchEvent) {
        let object = event.object
        let type = object.type
        switch type {
        case ResourceCatalog.pods:
            let value = object.value
            if event.kind != .deleted { queue.add(WorkKey(kind: .pod, namespace: object.namespace, name: object.name)) }
            if let owner = PodFacts.controllerReference(value) { enqueueOwner(owner, namespace: object.namespace) }
            if event.kind == .deleted && options.replaceForeignOwnedPods { ForeignOwners.replace(deleted: value, store: store, logger: logger) }
            if !store.objects(ResourceCatalog.podDisruptionBudgets, namespace: object.namespace).isEmpty {
                queue.add(WorkKey(kind: .disruptionBudgets, namespace: object.namespace, name: ""))
            }
        case ResourceCatalog.podDisruptionBudgets:
            queue.add(WorkKey(kind: .disruptionBudgets, namespace: object.namespace, name: ""))
        default:
            guard let kind = Self.workKind(type) else { return }
            if event.kind == .deleted {
                GarbageCollector.collect(owner: object, store: store, logger: logger)
                recorder.forget(kind: type.kind, namespace: object.namespace, name: object.name)
            }
            queue.add(WorkKey(kind: kind, namespace: object.namespace, name: object.name))
            if type == ResourceCatalog.replicaSets, let owner = PodFacts.controllerReference(object.value) {
                enqueueOwner(owner, namespace: object.namespace)
            }
        }
    }

    static func workKind(_ type: ResourceType) -> WorkKey.Kind? {
        switch type {
        case ResourceCatalog.replicaSets: .replicaSet
        case ResourceCatalog.replicationControllers: .replicationController
        case ResourceCatalog.deployments: .deployment
        case ResourceCatalog.statefulSets: .statefulSet
        case ResourceCatalog.daemonSets: .daemonSet
        case ResourceCatalog.jobs: .job
        case ResourceCatalog.argoRollouts: .argoRollout
        default: nil
        }
    }

    private func enqueueOwner(_ owner: JSONValue, namespace: String) {
        let kind: WorkKey.Kind
        switch owner["kind"]?.stringValue {
        case "ReplicaSet": kind = .replicaSet
        case "ReplicationController": kind = .replicationController
        case "Deployment": kind = .deployment
        case "StatefulSet": kind = .statefulSet
        case "DaemonSet": kind = .daemonSet
        case "Job": kind = .job
        case "Rollout": kind = .argoRollout
        default: return
        }
        queue.add(WorkKey(kind: kind, namespace: namespace, name: owner["name"]?.stringValue ?? ""))
    }

    // MARK: Work

    private func workLoop() {
        while let key = queue.next() {
            do throws(StatusError) {
                try reconcile(key)
            } catch where error.code == 409 || error.code == 404 {
                queue.add(key, after: 0.05)  // raced with another writer: look again
            } catch {
                logger.warning("reconcile failed", metadata: ["key": "\(key)", "error": "\(error)"])
                queue.add(key, after: 1)
            }
        }
    }

    private func reconcile(_ key: WorkKey) throws(StatusError) {
        var requeue: TimeInterval?
        switch key.kind {
        case .pod: requeue = try Kubelet.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .replicaSet: try ReplicaSetController.reconcile(.replicaSet, namespace: key.namespace, name: key.name, cluster: self)
        case .replicationController:
            try ReplicaSetController.reconcile(.replicationController, namespace: key.namespace, name: key.name, cluster: self)
        case .deployment: try DeploymentController.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .statefulSet: try StatefulSetController.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .daemonSet: try DaemonSetController.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .job: try JobController.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .argoRollout: requeue = try ArgoRolloutController.reconcile(namespace: key.namespace, name: key.name, cluster: self)
        case .disruptionBudgets: try DisruptionController.reconcile(namespace: key.namespace, cluster: self)
        }
        if let requeue { queue.add(key, after: requeue) }
    }
}

/// A value behind a lock (Sendable wrapper for the cluster's few mutable fields).
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Which revision name a StatefulSet's or DaemonSet's template has: seeded objects keep the
/// revision their status names (computed by a real controller), new templates get our hash.
final class RevisionMemory: Sendable {
    private let known = LockedBox<[String: (templateHash: String, revision: String)]>([:])

    func revision(uid: String, template: JSONValue?, seededRevision: String?, prefix: String) -> String {
        let hash = TemplateHash.hash(template ?? [:])
        return known.withLock { table in
            if let entry = table[uid], entry.templateHash == hash { return entry.revision }
            let fresh = prefix.isEmpty ? hash : "\(prefix)-\(hash)"
            let revision = table[uid] == nil ? (seededRevision ?? fresh) : fresh
            table[uid] = (hash, revision)
            return revision
        }
    }
}
