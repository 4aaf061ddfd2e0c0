import KubeModel

/// The pass the controller runs: re-assesses only the workloads whose inputs changed (their pods,
/// the objects between them and their pods, their Namespace, evidence about their pods) or whose
/// classification the clock has changed (past their `nextTransition`), and keeps every other
/// assessment from `state`. Other defaults (token lifetime, configuration) re-assess everything.
/// Pure: the cluster is read through `ClusterLookup`, the clock passed in. `Assessor.assess` on
/// the whole snapshot gives the same `Assessment` (the property tests hold the two equal).
public struct IncrementalAssessor: Sendable {
    public var defaults: PolicyDefaults
    /// A deliberate fault for the property test's own test: one changed workload (the first by
    /// id) is skipped, so the test must find a difference.
    var skipsOneChangedWorkload = false
    /// Every change assessed again, those to readiness or to a status alone too (for the tests).
    var skipsPatches = false

    public init(defaults: PolicyDefaults = PolicyDefaults()) { self.defaults = defaults }

    public func assess(
        _ cluster: some ClusterLookup, changes: ClusterChanges, state: inout AssessmentState, now: Timestamp,
        evidence: [String: TokenEvidence] = [:]
    ) -> Assessment {
        var groups: Set<PodGroupKey>
        if changes.everything || state.defaults != defaults || state.assessedAt.map({ now < $0 }) ?? true {
            state = AssessmentState()
            state.defaults = defaults
            state.lastPassAssessedEverything = true
            groups = Set(cluster.podGroups())
        } else {
            state.lastPassAssessedEverything = false
            state.lastChanged.removeAll(keepingCapacity: true)
            var changed = Set<WorkloadID>()
            for key in changes.objects { changed.formUnion(state.dependents[key] ?? []) }
            for key in changes.objectsKeepingLinks {
                if let id = ownWorkload(of: key, in: state) { changed.insert(id) }
            }
            if !changes.namespaces.isEmpty {
                for id in state.workloads.keys where changes.namespaces.contains(id.namespace) { changed.insert(id) }
            }
            if evidence != state.evidence { changed.formUnion(workloads(ofPods: Self.changedUIDs(state.evidence, evidence), in: state)) }
            changed.formUnion(state.dueTransitions(now))
            groups = changes.podGroups
            // Workloads changed otherwise are assessed again in any case.
            var patched: [WorkloadID: WorkloadAssessment] = [:]
            if !skipsPatches {
                let patches = readinessPatches(of: groups, in: cluster, state: state, except: changed)
                groups.subtract(patches.groups)
                for workload in patches.workloads { patched[workload.id] = workload }
            }
            for group in groups { if let id = state.workloadOfGroup[group] { changed.insert(id) } }
            for key in changes.objectStatuses {
                guard let id = ownWorkload(of: key, in: state), !changed.contains(id) else { continue }
                guard !skipsPatches, var workload = patched[id] ?? state.workloads[id], let rollout = Self.rollout(of: key, id, in: cluster) else {
                    changed.insert(id)
                    continue
                }
                workload.rollout = rollout
                patched[id] = workload
            }
            for id in changed { patched[id] = nil }
            state.replace(patched.keys, with: patched.values.sorted(by: Assessment.deadlineOrder))
            if skipsOneChangedWorkload, let skipped = changed.min() {
                changed.remove(skipped)
                groups.subtract(state.groupsOfWorkload[skipped] ?? [])
            }
            for id in changed { groups.formUnion(state.groupsOfWorkload[id] ?? []) }
        }
        state.evidence = evidence
        state.assessedAt = now
        reassess(groups, in: cluster, state: &state, now: now)
        return state.assessment
    }

    /// Assesses the workloads of `groups` again, each with all of its pods: the groups a workload
    /// had and those that resolve to it now (a new ReplicaSet of a Deployment) are gathered first.
    private func reassess(_ groups: Set<PodGroupKey>, in cluster: some ClusterLookup, state: inout AssessmentState, now: Timestamp) {
        var snapshot = ClusterSnapshot(podRecords: [])
        var included = Set<PodGroupKey>(), objects = Set<CachedObjectKey>(), namespaces = Set<String>()
        var workloadOfGroup: [PodGroupKey: WorkloadID] = [:]
        var pending = Array(groups)
        while !pending.isEmpty {
            var added: [(PodGroupKey, PodRecord)] = []
            for group in pending where included.insert(group).inserted {
                let pods = cluster.pods(in: group)
                guard let first = pods.first else { continue }
                snapshot.pods += pods
                added.append((group, first))
                if namespaces.insert(first.namespace).inserted, let namespace = cluster.namespace(first.namespace) {
                    snapshot.namespaces.append(namespace)
                }
                Self.addOwnerObjects(of: group, from: cluster, to: &snapshot, seen: &objects)
            }
            // Each group resolves from its own objects, added above: the workload it belongs to now.
            let resolver = OwnerResolver(snapshot)
            pending = []
            for (group, pod) in added {
                let id = resolver.owner(of: pod).id
                workloadOfGroup[group] = id
                for sibling in state.groupsOfWorkload[id] ?? [] where !included.contains(sibling) { pending.append(sibling) }
            }
        }

        let reassessed = Assessor(defaults: defaults).assess(snapshot, now: now, evidence: state.evidence)
        // Every included group's previous workload is re-assessed here with all of its groups.
        var removed = Set<WorkloadID>()
        for group in included {
            if let old = state.workloadOfGroup.removeValue(forKey: group) {
                removed.insert(old)
                state.groupsOfWorkload[old] = nil
            }
        }
        for (group, id) in workloadOfGroup {
            state.workloadOfGroup[group] = id
            state.groupsOfWorkload[id, default: []].insert(group)
        }
        // Among the removed already (every group of a workload re-assessed is included); this
        // keeps the tables consistent should that ever not hold.
        for workload in reassessed.workloads { removed.insert(workload.id) }
        state.replace(removed, with: reassessed.workloads)
        state.lastReassessed = reassessed.workloads.count
    }

    /// The objects `OwnerResolver` reads to resolve a group: its controller when it is a
    /// registered kind and, up the chain, each controller of a kind that adopts the one below (a
    /// ReplicaSet's Deployment or Rollout).
    private static func addOwnerObjects(
        of group: PodGroupKey, from cluster: some ClusterLookup, to snapshot: inout ClusterSnapshot, seen: inout Set<CachedObjectKey>
    ) {
        guard case .owned(let namespace, let apiVersion, let kind, let name, _) = group else { return }
        addObject(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name, adopting: nil, from: cluster, to: &snapshot, seen: &seen)
    }

    private static func addObject(
        apiVersion: String, kind: String, namespace: String, name: String, adopting below: WorkloadKind?,
        from cluster: some ClusterLookup, to snapshot: inout ClusterSnapshot, seen: inout Set<CachedObjectKey>
    ) {
        // An owner kind the controller does not cache carries its pods' policy itself.
        guard let spec = WorkloadKindRegistry.spec(apiVersion: apiVersion, kind: kind), below.map(spec.adopts.contains) ?? true,
              seen.insert(CachedObjectKey(kind: kind, namespace: namespace, name: name)).inserted,
              let object = cluster.object(spec.model, namespace: namespace, name: name) else { return }
        append(object, to: &snapshot)
        if let above = object.metadata.controllerOwner {
            addObject(apiVersion: above.apiVersion, kind: above.kind, namespace: namespace, name: above.name, adopting: spec.kind,
                      from: cluster, to: &snapshot, seen: &seen)
        }
    }

    private static func append<Object: KubeObject>(_ object: Object, to snapshot: inout ClusterSnapshot) {
        snapshot[objects: Object.self].append(object)
    }

    /// The workloads of `groups` (but those in `except`) whose pods changed at most their
    /// readiness since they were assessed, with the new records in place of the old, and their
    /// groups. Readiness is shown, never judged, so the assessment is what assessing them again
    /// would give; a readiness probe that flaps is most of a busy cluster's pod changes.
    private func readinessPatches(
        of groups: Set<PodGroupKey>, in cluster: some ClusterLookup, state: AssessmentState, except changed: Set<WorkloadID>
    ) -> (workloads: [WorkloadAssessment], groups: Set<PodGroupKey>) {
        var patched: [WorkloadAssessment] = [], patchedGroups = Set<PodGroupKey>(), tried = Set<WorkloadID>()
        for group in groups {
            guard let id = state.workloadOfGroup[group], !changed.contains(id), tried.insert(id).inserted,
                  let workload = state.workloads[id], let workloadGroups = state.groupsOfWorkload[id] else { continue }
            var current: [String: PodRecord] = [:]
            for sibling in workloadGroups {
                for record in cluster.pods(in: sibling) { current[record.name] = record }
            }
            guard current.count == workload.pods.count else { continue }
            var pods = workload.pods
            var same = true
            for index in pods.indices {
                let old = pods[index].record
                guard let new = current[old.name], new === old || new.sameContentButReadiness(as: old) else {
                    same = false
                    break
                }
                pods[index].record = new
            }
            guard same else { continue }
            var fresh = workload
            fresh.replacePodRecords(with: pods)
            patched.append(fresh)
            patchedGroups.formUnion(workloadGroups)
        }
        return (patched, patchedGroups)
    }

    /// The workload that is the object `key` (not one it stands between), if assessed.
    private func ownWorkload(of key: CachedObjectKey, in state: AssessmentState) -> WorkloadID? {
        state.dependents[key]?.first { state.workloads[$0].map { CachedObjectKey($0.ref) == key } ?? false }
    }

    /// The rollout status of the cached object `key`, the workload `id` (nil: not cached).
    private static func rollout(of key: CachedObjectKey, _ id: WorkloadID, in cluster: some ClusterLookup) -> RolloutStatus? {
        guard let spec = WorkloadKindRegistry.spec(for: id.kind),
              let object = cluster.object(spec.model, namespace: key.namespace, name: key.name) else { return nil }
        return spec.describe(object)?.rollout
    }

    /// Pod uids whose evidence is new, changed or gone.
    private static func changedUIDs(_ old: [String: TokenEvidence], _ new: [String: TokenEvidence]) -> Set<PodUID> {
        var uids = Set<PodUID>()
        for (uid, evidence) in new where old[uid] != evidence { uids.insert(PodUID(uid)) }
        for uid in old.keys where new[uid] == nil { uids.insert(PodUID(uid)) }
        return uids
    }

    /// The workloads holding any of these pods (evidence changes are rare: a scan is enough).
    private func workloads(ofPods uids: Set<PodUID>, in state: AssessmentState) -> Set<WorkloadID> {
        guard !uids.isEmpty else { return [] }
        var found = Set<WorkloadID>()
        for (id, workload) in state.workloads where workload.pods.contains(where: { $0.record.uid.map(uids.contains) ?? false }) {
            found.insert(id)
        }
        return found
    }
}
