import KubeModel

/// Follows a pod's controller references to the workload that restarts it:
/// Pod → ReplicaSet → Deployment; StatefulSet; DaemonSet; ReplicationController; bare ReplicaSet;
/// Job (→ CronJob); bare pod; unknown custom owner.
struct OwnerResolver {
    /// The workload a pod belongs to and what the policy and planner need to know about it.
    struct Owner: Equatable {
        var id: WorkloadID
        var ref: ObjectRef
        /// Objects between the pod and the workload, or above it (a Job's CronJob).
        var chain: [ObjectRef]
        /// The workload object's annotations; nil when the object is not in the snapshot.
        var annotations: [String: String]?
        var templateAnnotations: [String: String]?
        var paused = false
        var updateStrategyType: String?
        var rollout: RolloutStatus = .notApplicable
        var generation: Int64?
    }

    /// Positions in the snapshot's array (not copies: a copy retains every field). Owner
    /// references carry uids; the by-name fallback (hand-built objects without one) is built
    /// only when a uid is not found.
    private struct Index<Object: KubeObject> {
        let objects: [Object]
        var byUID: [String: Int] = [:]
        let byKey: Lazy

        final class Lazy {  // filled on first use by the one pass that owns the resolver
            var table: [String: Int]?
        }

        init(_ objects: [Object]) {
            self.objects = objects
            byUID.reserveCapacity(objects.count)
            for (index, object) in objects.enumerated() {
                if let uid = object.metadata.uid { byUID[uid] = index }
            }
            byKey = Lazy()
        }

        func find(_ ref: OwnerReference, namespace: String) -> Object? {
            if let index = byUID[ref.uid] { return objects[index] }
            if byKey.table == nil {
                var table: [String: Int] = [:]
                for (index, object) in objects.enumerated() { table[object.key] = index }
                byKey.table = table
            }
            return byKey.table?[Object.cacheKey(namespace: namespace, name: ref.name)].map { objects[$0] }
        }
    }

    private let replicaSets: Index<ReplicaSet>
    private let deployments: Index<Deployment>
    private let statefulSets: Index<StatefulSet>
    private let daemonSets: Index<DaemonSet>
    private let replicationControllers: Index<ReplicationController>
    private let jobs: Index<Job>

    init(_ snapshot: ClusterSnapshot) {
        replicaSets = Index(snapshot.replicaSets)
        deployments = Index(snapshot.deployments)
        statefulSets = Index(snapshot.statefulSets)
        daemonSets = Index(snapshot.daemonSets)
        replicationControllers = Index(snapshot.replicationControllers)
        jobs = Index(snapshot.jobs)
    }

    func owner(of pod: PodRecord) -> Owner {
        let namespace = pod.namespace
        guard !pod.isMirror, let ref = pod.owner?.reference else { return bare(pod) }
        let refObject = ObjectRef(kind: ref.kind, namespace: namespace, name: ref.name, uid: ref.uid)
        switch (ref.kind, group(of: ref.apiVersion)) {
        case ("ReplicaSet", "apps"):
            guard let rs = replicaSets.find(ref, namespace: namespace) else {
                return Owner(id: WorkloadID(kind: .replicaSet, namespace: namespace, name: ref.name), ref: refObject, chain: [])
            }
            if let top = rs.metadata.controllerOwner, top.kind == "Deployment", group(of: top.apiVersion) == "apps" {
                let id = WorkloadID(kind: .deployment, namespace: namespace, name: top.name)
                let chain = [ObjectRef(rs)]
                guard let d = deployments.find(top, namespace: namespace) else {
                    return Owner(id: id, ref: ObjectRef(kind: "Deployment", namespace: namespace, name: top.name, uid: top.uid), chain: chain)
                }
                return Owner(id: id, ref: ObjectRef(d), chain: chain, annotations: d.metadata.annotations,
                             templateAnnotations: d.spec.template?.metadata?.annotations, paused: d.spec.paused ?? false,
                             updateStrategyType: d.spec.strategy?.type, rollout: RolloutStatus.of(d), generation: d.metadata.generation)
            }
            if let top = rs.metadata.controllerOwner {
                return custom(top, namespace: namespace, chain: [ObjectRef(rs)])
            }
            return Owner(id: WorkloadID(kind: .replicaSet, namespace: namespace, name: rs.metadata.name), ref: ObjectRef(rs), chain: [],
                         annotations: rs.metadata.annotations, rollout: RolloutStatus.of(spec: rs.spec, status: rs.status),
                         generation: rs.metadata.generation)
        case ("StatefulSet", "apps"):
            let id = WorkloadID(kind: .statefulSet, namespace: namespace, name: ref.name)
            guard let s = statefulSets.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            return Owner(id: id, ref: ObjectRef(s), chain: [], annotations: s.metadata.annotations,
                         templateAnnotations: s.spec.template?.metadata?.annotations, updateStrategyType: s.spec.updateStrategy?.type,
                         rollout: RolloutStatus.of(s), generation: s.metadata.generation)
        case ("DaemonSet", "apps"):
            let id = WorkloadID(kind: .daemonSet, namespace: namespace, name: ref.name)
            guard let d = daemonSets.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            return Owner(id: id, ref: ObjectRef(d), chain: [], annotations: d.metadata.annotations,
                         templateAnnotations: d.spec.template?.metadata?.annotations, updateStrategyType: d.spec.updateStrategy?.type,
                         rollout: RolloutStatus.of(d), generation: d.metadata.generation)
        case ("ReplicationController", ""):
            let id = WorkloadID(kind: .replicationController, namespace: namespace, name: ref.name)
            guard let rc = replicationControllers.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            return Owner(id: id, ref: ObjectRef(rc), chain: [], annotations: rc.metadata.annotations,
                         rollout: RolloutStatus.of(spec: rc.spec, status: rc.status), generation: rc.metadata.generation)
        case ("Job", "batch"):
            let id = WorkloadID(kind: .job, namespace: namespace, name: ref.name)
            guard let job = jobs.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            let chain = job.metadata.controllerOwner.map {
                [ObjectRef(kind: $0.kind, namespace: namespace, name: $0.name, uid: $0.uid)]
            } ?? []
            return Owner(id: id, ref: ObjectRef(job), chain: chain, annotations: job.metadata.annotations, generation: job.metadata.generation)
        default:
            return custom(ref, namespace: namespace, chain: [])
        }
    }

    private func bare(_ pod: PodRecord) -> Owner {
        Owner(id: WorkloadID(kind: .pod, namespace: pod.namespace, name: pod.name),
              ref: ObjectRef(kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid?.description), chain: [],
              annotations: pod.annotations)
    }

    /// An owner kind this project does not manage (Argo Rollouts, OpenShift DeploymentConfigs, …):
    /// its pods are evicted one by one; its policy is read from its pods (see `Assessor`).
    private func custom(_ ref: OwnerReference, namespace: String, chain: [ObjectRef]) -> Owner {
        let kind = WorkloadKind.custom(kind: ref.kind, apiVersion: ref.apiVersion)
        return Owner(id: WorkloadID(kind: kind, namespace: namespace, name: ref.name),
                     ref: ObjectRef(kind: ref.kind, namespace: namespace, name: ref.name, uid: ref.uid), chain: chain)
    }

    private func group(of apiVersion: String) -> String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}
