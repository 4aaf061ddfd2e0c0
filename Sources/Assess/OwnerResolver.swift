import KubeModel

/// Follows a pod's controller references to the workload that restarts it, by the registry's
/// entries (`WorkloadKindRegistry`): Pod → ReplicaSet → Deployment or Argo Rollout; StatefulSet;
/// DaemonSet; ReplicationController; bare ReplicaSet; Job (→ CronJob); bare pod; unknown custom owner.
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
        /// Why a rollout restart cannot proceed (the kind's `templateBlocker`); nil: it can.
        var templateBlocker: String?
        var rollout: RolloutStatus = .notApplicable
        var generation: Int64?
    }

    /// The listed kinds' objects; a kind absent here was not listed.
    private let indexes: [WorkloadKind: any WorkloadIndex]

    init(_ snapshot: ClusterSnapshot) {
        var indexes: [WorkloadKind: any WorkloadIndex] = [:]
        for spec in WorkloadKindRegistry.all {
            if let index = spec.index(snapshot) { indexes[spec.kind] = index }
        }
        self.indexes = indexes
    }

    func owner(of pod: PodRecord) -> Owner {
        guard !pod.isMirror, let ref = pod.owner?.reference else { return bare(pod) }
        let namespace = pod.namespace
        guard let spec = WorkloadKindRegistry.spec(matching: ref) else { return custom(ref, namespace: namespace, chain: []) }
        guard let facts = indexes[spec.kind]?.facts(of: ref, namespace: namespace) else {
            return unseen(spec, ref, namespace: namespace, chain: [])
        }
        switch spec.controllerAbove {
        case .ignored:
            return owner(spec.kind, facts, namespace: namespace, chain: [])
        case .recorded:
            let chain = facts.controller.map { [ObjectRef(kind: $0.kind, namespace: namespace, name: $0.name, uid: $0.uid)] } ?? []
            return owner(spec.kind, facts, namespace: namespace, chain: chain)
        case .handsOver:
            guard let top = facts.controller else { return owner(spec.kind, facts, namespace: namespace, chain: []) }
            let chain = [facts.ref]
            guard let topSpec = WorkloadKindRegistry.spec(matching: top), topSpec.adopts.contains(spec.kind) else {
                return custom(top, namespace: namespace, chain: chain)
            }
            guard let topFacts = indexes[topSpec.kind]?.facts(of: top, namespace: namespace) else {
                return unseen(topSpec, top, namespace: namespace, chain: chain)
            }
            return owner(topSpec.kind, topFacts, namespace: namespace, chain: chain)
        }
    }

    private func owner(_ kind: WorkloadKind, _ facts: WorkloadFacts, namespace: String, chain: [ObjectRef]) -> Owner {
        Owner(id: WorkloadID(kind: kind, namespace: namespace, name: facts.ref.name), ref: facts.ref, chain: chain,
              annotations: facts.annotations, templateAnnotations: facts.templateAnnotations, paused: facts.paused,
              templateBlocker: facts.templateBlocker, rollout: facts.rollout, generation: facts.generation)
    }

    /// A registered kind's object that is not in the snapshot. A discovered kind's objects may be
    /// out of the controller's sight (not served, not permitted): its pods are a custom owner's.
    private func unseen(_ spec: WorkloadKindSpec, _ ref: OwnerReference, namespace: String, chain: [ObjectRef]) -> Owner {
        if spec.discovered { return custom(ref, namespace: namespace, chain: chain) }
        return Owner(id: WorkloadID(kind: spec.kind, namespace: namespace, name: ref.name),
                     ref: ObjectRef(kind: ref.kind, namespace: namespace, name: ref.name, uid: ref.uid), chain: chain)
    }

    private func bare(_ pod: PodRecord) -> Owner {
        Owner(id: WorkloadID(kind: .pod, namespace: pod.namespace, name: pod.name),
              ref: ObjectRef(kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid?.description), chain: [],
              annotations: pod.annotations)
    }

    /// An owner kind this project does not manage (OpenShift DeploymentConfigs, OpenKruise, …):
    /// its pods are evicted one by one; its policy is read from its pods (see `Assessor`).
    private func custom(_ ref: OwnerReference, namespace: String, chain: [ObjectRef]) -> Owner {
        let kind = WorkloadKind.custom(kind: ref.kind, apiVersion: ref.apiVersion)
        return Owner(id: WorkloadID(kind: kind, namespace: namespace, name: ref.name),
                     ref: ObjectRef(kind: ref.kind, namespace: namespace, name: ref.name, uid: ref.uid), chain: chain)
    }
}
