import KubeModel

/// Entry point of the token-age model: a cluster snapshot, the controller's defaults and the
/// clock in; an `Assessment` out. Pure and deterministic.
public struct Assessor: Sendable {
    public var defaults: PolicyDefaults

    public init(defaults: PolicyDefaults = PolicyDefaults()) { self.defaults = defaults }

    /// - Parameters:
    ///   - evidence: by pod uid, what audit events showed about the token that pod presents
    ///     (`authentication.k8s.io/stale-token`, `user.extra[…pod-uid]`). Hard evidence outranks
    ///     the estimate: a pod that looks young but presents an old token gets the old token's deadline.
    ///   - memo: reuse last pass's result for workloads whose inputs have not changed.
    public func assess(
        _ snapshot: ClusterSnapshot, now: Timestamp, evidence: [String: TokenEvidence] = [:], memo: AssessmentMemo? = nil
    ) -> Assessment {
        let remembered = memo?.begin(defaults: defaults, evidence: evidence) ?? [:]
        let resolver = OwnerResolver(snapshot)
        var namespaces: [String: Namespace] = [:]
        for namespace in snapshot.namespaces { namespaces[namespace.metadata.name] = namespace }

        // Pods grouped by workload; the pods of one owner (one shared `PodOwner`) resolve once.
        // Parallel arrays, read by index: iterating tuples would copy (retain) every owner.
        var groupIDs: [WorkloadID] = []
        var groupOwners: [OwnerResolver.Owner] = []
        var groupPods: [[PodRecord]] = []
        var groupOfWorkload: [WorkloadID: Int] = [:]
        var groupOfOwner: [ObjectIdentifier: Int] = [:]
        for pod in snapshot.pods {
            let sharedOwner = pod.isMirror ? nil : pod.owner.map(ObjectIdentifier.init)
            if let sharedOwner, let index = groupOfOwner[sharedOwner] {
                groupPods[index].append(pod)
                continue
            }
            let owner = resolver.owner(of: pod)
            let index: Int
            if let known = groupOfWorkload[owner.id] {
                index = known
                // Several ReplicaSets of one Deployment: the chain names the first by name,
                // whatever order the pods come in.
                if owner.chain.lexicographicallyPrecedes(groupOwners[known].chain) { groupOwners[known] = owner }
            } else {
                index = groupIDs.count
                groupIDs.append(owner.id)
                groupOwners.append(owner)
                groupPods.append([])
                groupOfWorkload[owner.id] = index
            }
            if let sharedOwner { groupOfOwner[sharedOwner] = index }
            groupPods[index].append(pod)
        }

        var workloads: [WorkloadAssessment] = []
        var allDiagnostics = Set<Diagnostic>()
        workloads.reserveCapacity(groupIDs.count)
        var entries: [WorkloadID: AssessmentMemo.Entry] = [:]
        if memo != nil { entries.reserveCapacity(groupIDs.count) }
        var hits = 0
        for index in groupIDs.indices {
            let id = groupIDs[index]
            let namespace = namespaces[id.namespace]
            let workload: WorkloadAssessment
            if let entry = remembered[id],
               AssessmentMemo.reusable(entry, pods: groupPods[index], owner: groupOwners[index], namespace: namespace?.metadata, now: now) {
                workload = entry.assessment
                if memo != nil { entries[id] = entry }
                hits += 1
            } else {
                let pods = groupPods[index].sorted(by: PodRecord.nameOrder)
                workload = assessWorkload(id: id, owner: groupOwners[index], pods: pods, namespace: namespace,
                                          now: now, evidence: evidence)
                if memo != nil {
                    entries[id] = AssessmentMemo.Entry(pods: groupPods[index], owner: groupOwners[index], namespace: namespace?.metadata,
                                                       assessedAt: now, assessment: workload)
                }
            }
            if !workload.diagnostics.isEmpty { allDiagnostics.formUnion(workload.diagnostics) }
            workloads.append(workload)
        }
        memo?.finish(entries, hits: hits)
        return Assessment(generatedAt: now, workloads: Assessment.sortedByDeadline(workloads), diagnostics: allDiagnostics.sorted())
    }

    private func assessWorkload(
        id: WorkloadID, owner: OwnerResolver.Owner, pods: [PodRecord], namespace: Namespace?, now: Timestamp,
        evidence: [String: TokenEvidence]
    ) -> WorkloadAssessment {
        let objectKnown = owner.annotations != nil
        // Custom owners are not in the snapshot: their pods carry the template's annotations.
        var annotations = owner.annotations
        if case .custom = id.kind, annotations == nil { annotations = pods.first?.annotations ?? [:] }
        let subject = PolicyResolver.Subject(ref: owner.ref, kind: id.kind, annotations: annotations, templateBlocker: owner.templateBlocker)
        var (policy, diagnostics) = PolicyResolver(defaults: defaults).resolve(subject, namespace: namespace)
        let (restartState, stateDiagnostics) = RestartState.read(annotations: owner.annotations, templateAnnotations: owner.templateAnnotations, object: owner.ref)
        diagnostics += stateDiagnostics

        let podAssessor = PodAssessor(policy: policy, apiAudiences: defaults.apiAudiences, now: now)
        let assessed = pods.map { pod in
            // Evidence is rare: the uid is formatted for the lookups only when there is some.
            var known = evidence.isEmpty ? nil : pod.uid.flatMap { evidence[$0.description] }
            if !pod.annotations.isEmpty {
                // Kept on the pod by whichever replica learned it (PodEvidenceAnnotations).
                let (kept, problems) = PodEvidenceAnnotations.read(pod)
                diagnostics += problems
                if let kept { known = known.map { $0.merged(with: kept) } ?? kept }
            }
            return podAssessor.assess(pod, evidence: known)
        }

        // One pass over the pods (no filtered copies): the workload's class is its most urgent
        // in-scope pod's; its deadline comes from the pods a restart can help (those not
        // unprotectable, nor unconfirmed under restart-on: evidence), or from all in-scope pods
        // when none can be helped.
        var classification = Classification.outOfScope
        var anyInScope = false, anyHelpable = false
        var deadlineHelpable: Timestamp?, deadlineAll: Timestamp?, dueHelpable: Timestamp?, dueAll: Timestamp?
        var oldestTokenIssuedAt: Timestamp?, nextTransition: Timestamp?
        var confirmedStale = false
        for pod in assessed where pod.classification != .outOfScope {
            anyInScope = true
            classification = min(classification, pod.classification)
            deadlineAll = earliest(deadlineAll, pod.deadline)
            dueAll = earliest(dueAll, pod.restartDue)
            if pod.classification != .unprotectable && pod.classification != .unconfirmed {
                anyHelpable = true
                deadlineHelpable = earliest(deadlineHelpable, pod.deadline)
                dueHelpable = earliest(dueHelpable, pod.restartDue)
            }
            oldestTokenIssuedAt = earliest(oldestTokenIssuedAt, pod.oldestTokenIssuedAt)
            nextTransition = earliest(nextTransition, pod.nextTransition)
            if pod.confirmedStale { confirmedStale = true }
        }
        let deadline = anyHelpable ? deadlineHelpable : deadlineAll
        let restartDue = anyHelpable ? dueHelpable : dueAll
        // The sentence is written when shown: most assessments never are.
        let reason: WorkloadAssessment.Reason
        if !anyInScope {
            reason = policy.mode == .ignore ? .text("ignored (token-warden.dev/mode: ignore)")
                : assessed.isEmpty ? .text("no pods") : .pod(0, named: false)
        } else {
            // The most urgent pod: earliest deadline (none sorts last), then name.
            var chosen = -1
            for index in assessed.indices where assessed[index].classification == classification {
                if chosen < 0 { chosen = index; continue }
                if PodAssessment.urgencyOrder(assessed[index], assessed[chosen]) { chosen = index }
            }
            reason = .pod(chosen, named: true)
        }
        if policy.mode == .ignore { policy.strategy = .warnOnly }
        return WorkloadAssessment(
            id: id, ref: owner.ref, ownerChain: owner.chain, objectKnown: objectKnown, pods: assessed,
            classification: classification, reason: reason, deadline: deadline, restartDue: restartDue,
            oldestTokenIssuedAt: oldestTokenIssuedAt, confirmedStale: confirmedStale, policy: policy, restartState: restartState,
            rollout: owner.rollout, paused: owner.paused, generation: owner.generation,
            diagnostics: diagnostics.isEmpty ? [] : Array(Set(diagnostics)).sorted(), nextTransition: nextTransition)
    }
}
