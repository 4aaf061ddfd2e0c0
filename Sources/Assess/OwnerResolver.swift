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
            for index in objects.indices {  // by position: binding each object would copy it
                if let uid = objects[index].metadata.uid { byUID[uid] = index }
            }
            byKey = Lazy()
        }

        /// The referenced object's position in `objects`: callers read the fields they need in
        /// place rather than copy the object.
        func find(_ ref: OwnerReference, namespace: String) -> Int? {
            if let index = byUID[ref.uid] { return index }
            if byKey.table == nil {
                var table: [String: Int] = [:]
                for index in objects.indices { table[objects[index].key] = index }
                byKey.table = table
            }
            return byKey.table?[Object.cacheKey(namespace: namespace, name: ref.name)]
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
            guard let r = replicaSets.find(ref, namespace: namespace) else {
                return Owner(id: WorkloadID(kind: .replicaSet, namespace: namespace, name: ref.name), ref: refObject, chain: [])
            }
            let rs = replicaSets.objects
            if let top = rs[r].metadata.controllerOwner, top.kind == "Deployment", group(of: top.apiVersion) == "apps" {
                let id = WorkloadID(kind: .deployment, namespace: namespace, name: top.name)
                let chain = [ObjectRef(rs[r])]
                guard let i = deployments.find(top, namespace: namespace) else {
                    return Owner(id: id, ref: ObjectRef(kind: "Deployment", namespace: namespace, name: top.name, uid: top.uid), chain: chain)
                }
                let d = deployments.objects
                return Owner(id: id, ref: ObjectRef(d[i]), chain: chain, annotations: d[i].metadata.annotations ?? [:],
                             templateAnnotations: d[i].spec.template?.metadata?.annotations, paused: d[i].spec.paused ?? false,
                             updateStrategyType: d[i].spec.strategy?.type, rollout: RolloutStatus.of(d[i]), generation: d[i].metadata.generation)
            }
            if let top = rs[r].metadata.controllerOwner {
                return custom(top, namespace: namespace, chain: [ObjectRef(rs[r])])
            }
            return Owner(id: WorkloadID(kind: .replicaSet, namespace: namespace, name: rs[r].metadata.name), ref: ObjectRef(rs[r]), chain: [],
                         annotations: rs[r].metadata.annotations ?? [:], rollout: RolloutStatus.of(spec: rs[r].spec, status: rs[r].status),
                         generation: rs[r].metadata.generation)
        case ("StatefulSet", "apps"):
            let id = WorkloadID(kind: .statefulSet, namespace: namespace, name: ref.name)
            guard let i = statefulSets.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            let s = statefulSets.objects
            return Owner(id: id, ref: ObjectRef(s[i]), chain: [], annotations: s[i].metadata.annotations ?? [:],
                         templateAnnotations: s[i].spec.template?.metadata?.annotations, updateStrategyType: s[i].spec.updateStrategy?.type,
                         rollout: RolloutStatus.of(s[i]), generation: s[i].metadata.generation)
        case ("DaemonSet", "apps"):
            let id = WorkloadID(kind: .daemonSet, namespace: namespace, name: ref.name)
            guard let i = daemonSets.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            let d = daemonSets.objects
            return Owner(id: id, ref: ObjectRef(d[i]), chain: [], annotations: d[i].metadata.annotations ?? [:],
                         templateAnnotations: d[i].spec.template?.metadata?.annotations, updateStrategyType: d[i].spec.updateStrategy?.type,
                         rollout: RolloutStatus.of(d[i]), generation: d[i].metadata.generation)
        case ("ReplicationController", ""):
            let id = WorkloadID(kind: .replicationController, namespace: namespace, name: ref.name)
            guard let i = replicationControllers.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            let rc = replicationControllers.objects
            return Owner(id: id, ref: ObjectRef(rc[i]), chain: [], annotations: rc[i].metadata.annotations ?? [:],
                         rollout: RolloutStatus.of(spec: rc[i].spec, status: rc[i].status), generation: rc[i].metadata.generation)
        case ("Job", "batch"):
            let id = WorkloadID(kind: .job, namespace: namespace, name: ref.name)
            guard let i = jobs.find(ref, namespace: namespace) else { return Owner(id: id, ref: refObject, chain: []) }
            let job = jobs.objects
            let chain = job[i].metadata.controllerOwner.map {
                [ObjectRef(kind: $0.kind, namespace: namespace, name: $0.name, uid: $0.uid)]
            } ?? []
            return Owner(id: id, ref: ObjectRef(job[i]), chain: chain, annotations: job[i].metadata.annotations ?? [:], generation: job[i].metadata.generation)
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
