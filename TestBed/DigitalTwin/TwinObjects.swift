import Assess
import KubeModel

/// The twin's workloads as the Kubernetes objects the controller's caches would hold: what the
/// real Assessor reads. Each workload's objects and pod records are rebuilt only when it changed,
/// so the assessment memo reuses the rest as it does in the controller.
struct TwinObjects {
    private struct Built {
        var records: [PodRecord]
        var deployment: Deployment?
        var replicaSet: ReplicaSet?
        var statefulSet: StatefulSet?
        var daemonSet: DaemonSet?
        var controller: ReplicationController?
    }

    private var built: [Built?]
    private let builder = PodRecordBuilder()
    var namespaces: [Namespace]

    init(workloads: Int, namespaces: [Namespace]) {
        built = Array(repeating: nil, count: workloads)
        self.namespaces = namespaces
    }

    mutating func snapshot(_ workloads: inout [TwinWorkload], now: Int64) -> ClusterSnapshot {
        var snapshot = ClusterSnapshot(namespaces: namespaces)
        snapshot.pods.reserveCapacity(workloads.count * 3)
        for i in workloads.indices {
            if workloads[i].changed || built[i] == nil {
                built[i] = build(workloads[i], now: now)
                workloads[i].changed = false
            }
            let b = built[i]!
            snapshot.pods.append(contentsOf: b.records)
            if let d = b.deployment { snapshot.deployments.append(d) }
            if let r = b.replicaSet { snapshot.replicaSets.append(r) }
            if let s = b.statefulSet { snapshot.statefulSets.append(s) }
            if let d = b.daemonSet { snapshot.daemonSets.append(d) }
            if let c = b.controller { snapshot.replicationControllers.append(c) }
        }
        return snapshot
    }

    /// Workload `w`'s own objects and its Namespace: what the Assessor needs to assess it alone.
    mutating func snapshot(of w: inout TwinWorkload, now: Int64) -> ClusterSnapshot {
        if w.changed || built[w.index] == nil {
            built[w.index] = build(w, now: now)
            w.changed = false
        }
        let b = built[w.index]!
        var snapshot = ClusterSnapshot(namespaces: namespaces.filter { $0.metadata.name == w.namespace })
        snapshot.pods = b.records
        if let d = b.deployment { snapshot.deployments = [d] }
        if let r = b.replicaSet { snapshot.replicaSets = [r] }
        if let s = b.statefulSet { snapshot.statefulSets = [s] }
        if let d = b.daemonSet { snapshot.daemonSets = [d] }
        if let c = b.controller { snapshot.replicationControllers = [c] }
        return snapshot
    }

    private func build(_ w: TwinWorkload, now: Int64) -> Built {
        var annotations: [String: String] = [:]
        if let at = w.restartedAt { annotations[PolicyAnnotation.restartedAt] = Timestamp(seconds: at).rfc3339 }
        if let deadline = w.restartForDeadline { annotations[PolicyAnnotation.restartForDeadline] = Timestamp(seconds: deadline).rfc3339 }
        let rolling = w.rolloutEnds.map { $0 > now } ?? false
        let observed = rolling ? w.generation - 1 : w.generation
        let meta = ObjectMeta(name: w.name, namespace: w.namespace, uid: "uid-w-\(w.index)", generation: w.generation,
                              annotations: annotations.isEmpty ? nil : annotations)
        let ready = w.pods.filter { $0.readyAt <= now }.count
        var result = Built(records: [])
        var owner: OwnerReference?
        switch w.kind {
        case .deployment:
            result.deployment = Deployment(
                metadata: meta, spec: .init(replicas: w.replicas, strategy: UpdateStrategy(type: "RollingUpdate"), template: PodTemplate()),
                status: .init(observedGeneration: observed, replicas: w.replicas, updatedReplicas: w.replicas,
                              readyReplicas: ready, availableReplicas: w.replicas))
            let rsOwner = OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: w.name, uid: "uid-w-\(w.index)", controller: true)
            result.replicaSet = ReplicaSet(metadata: ObjectMeta(name: "\(w.name)-rs", namespace: w.namespace, uid: "uid-rs-\(w.index)",
                                                                ownerReferences: [rsOwner]))
            owner = OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "\(w.name)-rs", uid: "uid-rs-\(w.index)", controller: true)
        case .statefulSet:
            result.statefulSet = StatefulSet(
                metadata: meta, spec: .init(replicas: w.replicas, updateStrategy: UpdateStrategy(type: "RollingUpdate"), template: PodTemplate()),
                status: .init(observedGeneration: observed, replicas: w.replicas, readyReplicas: w.replicas, currentReplicas: w.replicas,
                              updatedReplicas: w.replicas, availableReplicas: w.replicas, currentRevision: "r", updateRevision: "r"))
            owner = OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: w.name, uid: "uid-w-\(w.index)", controller: true)
        case .daemonSet:
            result.daemonSet = DaemonSet(
                metadata: meta, spec: .init(updateStrategy: UpdateStrategy(type: "RollingUpdate"), template: PodTemplate()),
                status: .init(observedGeneration: observed, desiredNumberScheduled: w.replicas, currentNumberScheduled: w.replicas,
                              updatedNumberScheduled: w.replicas, numberReady: w.replicas, numberAvailable: w.replicas))
            owner = OwnerReference(apiVersion: "apps/v1", kind: "DaemonSet", name: w.name, uid: "uid-w-\(w.index)", controller: true)
        case .replicationController:
            result.controller = ReplicationController(
                metadata: meta, spec: ReplicaSpec(replicas: w.replicas),
                status: ReplicaStatus(observedGeneration: w.generation, replicas: w.pods.count, readyReplicas: ready, availableReplicas: ready))
            owner = OwnerReference(apiVersion: "v1", kind: "ReplicationController", name: w.name, uid: "uid-w-\(w.index)", controller: true)
        case .barePod:
            owner = nil
        }
        result.records = w.pods.map { builder.record(pod($0, of: w, owner: owner, now: now)) }
        return result
    }

    private func pod(_ p: TwinWorkload.Pod, of w: TwinWorkload, owner: OwnerReference?, now: Int64) -> Pod {
        let start = Timestamp(seconds: p.start)
        let name = w.kind == .barePod ? w.name : "\(w.name)-\(p.serial)"
        let meta = ObjectMeta(name: name, namespace: w.namespace, uid: "uid-p-\(w.index)-\(p.serial)", resourceVersion: "\(p.serial)",
                              creationTimestamp: Timestamp(seconds: p.created), ownerReferences: owner.map { [$0] })
        let volume = Volume(name: "token", projected: ProjectedVolumeSource(sources: [
            VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(audience: nil, expirationSeconds: 3607)),
        ]))
        let container = Container(name: "app", volumeMounts: [VolumeMount(name: "token", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount")])
        let ready = p.readyAt <= now
        return Pod(
            metadata: meta,
            spec: PodSpec(serviceAccountName: "default", nodeName: "node-\(p.serial % 50)", volumes: [volume], containers: [container]),
            status: PodStatus(phase: "Running", startTime: start,
                              conditions: [PodCondition(type: "Ready", status: ready ? "True" : "False")],
                              containerStatuses: [ContainerStatus(name: "app", ready: ready, restartCount: 0,
                                                                  state: ContainerState(running: ContainerStateRunning(startedAt: start)))]))
    }
}
