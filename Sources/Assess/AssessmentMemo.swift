import KubeModel
import Synchronization

/// Workload assessments kept from one pass to the next. A workload whose inputs are the same
/// objects as last time (the same cached pod records, an equal owner, an equal Namespace uid and annotations) and
/// whose classification cannot have changed by the clock (now is before its `nextTransition`)
/// is not assessed again. Pure reuse: the result is what a fresh assessment would give (tests
/// hold the two equal). Cleared when the defaults or the audit evidence change.
public final class AssessmentMemo: Sendable {
    /// A reference: a pass that reuses a workload keeps the same entry (the memo's table holds
    /// one pointer per workload, twice while a pass replaces it, instead of ~440-byte buckets).
    final class Entry: Sendable {
        let pods: [PodRecord]
        let owner: OwnerResolver.Owner
        /// What the policy reads of the Namespace: its uid (in references) and annotations.
        let namespaceUID: String?
        let namespaceAnnotations: [String: String]?
        let assessedAt: Timestamp
        let assessment: WorkloadAssessment

        init(pods: [PodRecord], owner: OwnerResolver.Owner, namespace: ObjectMeta?, assessedAt: Timestamp, assessment: WorkloadAssessment) {
            self.pods = pods
            self.owner = owner
            namespaceUID = namespace?.uid
            namespaceAnnotations = namespace?.annotations
            self.assessedAt = assessedAt
            self.assessment = assessment
        }
    }

    private struct State {
        var entries: [WorkloadID: Entry] = [:]
        var defaults: PolicyDefaults?
        var evidence: [String: TokenEvidence] = [:]
        var hits = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Workloads reused by the last pass.
    public var lastHits: Int { state.withLock { $0.hits } }

    func begin(defaults: PolicyDefaults, evidence: [String: TokenEvidence]) -> [WorkloadID: Entry] {
        state.withLock { state in
            if state.defaults != defaults || state.evidence != evidence {
                state.entries = [:]
                state.defaults = defaults
                state.evidence = evidence
            }
            return state.entries
        }
    }

    /// Replaces the memo with this pass's entries (workloads that disappeared are dropped).
    func finish(_ entries: [WorkloadID: Entry], hits: Int) {
        state.withLock {
            $0.entries = entries
            $0.hits = hits
        }
    }

    static func reusable(_ entry: Entry, pods: [PodRecord], owner: OwnerResolver.Owner, namespace: ObjectMeta?, now: Timestamp) -> Bool {
        guard now >= entry.assessedAt, entry.assessment.nextTransition.map({ now < $0 }) ?? true,
              entry.pods.count == pods.count else { return false }
        for (a, b) in zip(entry.pods, pods) where a !== b { return false }
        return entry.namespaceUID == namespace?.uid && entry.namespaceAnnotations == namespace?.annotations && entry.owner == owner
    }
}
