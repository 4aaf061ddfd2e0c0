import KubeModel

/// One workload (or bare pod) under the token-age model, with everything the planner,
/// the report and the Events need: the fields of `Fields`, read and written as its own
/// (`workload.deadline`), plus `pods` and `reason`.
///
/// A value type whose fields live in one shared immutable box: the planner, the memo and the
/// report pass tens of thousands of these around, and copying one is then a single retain
/// instead of one per field. Setting a field makes a new box. (The same fields stored plainly
/// made `warden-bench plan` ~50 % slower to plan at 30k pods in 2k workloads.)
@dynamicMemberLookup
public struct WorkloadAssessment: Hashable, Sendable {
    /// Where `reason` comes from: a fixed sentence, or one of its pods' (formatted on demand).
    enum Reason: Hashable, Sendable {
        case text(String)
        /// `pods[index]`'s reason; prefixed with "pod NAME: " when `named`.
        case pod(Int, named: Bool)
    }

    public struct Fields: Hashable, Sendable {
        public var id: WorkloadID
        /// The workload object (with its uid when known).
        public var ref: ObjectRef
        /// Objects between the pods and the workload (a Deployment's ReplicaSets) or above it (a Job's CronJob).
        public var ownerChain: [ObjectRef]
        /// Whether the workload object itself was in the snapshot (custom owners never are).
        public var objectKnown: Bool
        /// Read and written through `WorkloadAssessment.pods` (a new list rewrites `reason`).
        var pods: [PodAssessment]
        /// The most urgent pod's class (`out-of-scope` when no pod is in scope).
        public var classification: Classification
        /// Read and written through `WorkloadAssessment.reason`.
        var reason: Reason
        /// The earliest pod deadline: when the first token stops working.
        public var deadline: Timestamp?
        /// When a restart becomes due (deadline − restart-before; the rotation instant when invalidated).
        public var restartDue: Timestamp?
        public var oldestTokenIssuedAt: Timestamp?
        public var confirmedStale: Bool
        public var policy: EffectivePolicy
        public var restartState: RestartState
        public var rollout: RolloutStatus
        public var paused: Bool
        /// metadata.generation of the workload object (to tell whether a patch was observed).
        public var generation: Int64?
        /// Diagnostics about this workload's annotations and its Namespace's.
        public var diagnostics: [Diagnostic]
        /// The next instant its classification can change by the clock alone.
        public var nextTransition: Timestamp?
    }

    @usableFromInline
    final class Box: Sendable {
        @usableFromInline let fields: Fields
        @usableFromInline init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline
    var box: Box

    init(
        id: WorkloadID,
        ref: ObjectRef,
        ownerChain: [ObjectRef],
        objectKnown: Bool,
        pods: [PodAssessment],
        classification: Classification,
        reason: Reason,
        deadline: Timestamp?,
        restartDue: Timestamp?,
        oldestTokenIssuedAt: Timestamp?,
        confirmedStale: Bool,
        policy: EffectivePolicy,
        restartState: RestartState,
        rollout: RolloutStatus,
        paused: Bool,
        generation: Int64?,
        diagnostics: [Diagnostic],
        nextTransition: Timestamp?
    ) {
        box = Box(Fields(
            id: id, ref: ref, ownerChain: ownerChain, objectKnown: objectKnown, pods: pods,
            classification: classification, reason: reason, deadline: deadline, restartDue: restartDue,
            oldestTokenIssuedAt: oldestTokenIssuedAt, confirmedStale: confirmedStale, policy: policy,
            restartState: restartState, rollout: rollout, paused: paused, generation: generation,
            diagnostics: diagnostics, nextTransition: nextTransition))
    }

    /// Every field of `Fields` as a property of the assessment (inlinable: the planner reads
    /// them in its inner loops from another module).
    @inlinable
    public subscript<Value>(dynamicMember field: WritableKeyPath<Fields, Value>) -> Value {
        get { box.fields[keyPath: field] }
        set { update { $0[keyPath: field] = newValue } }
    }

    @usableFromInline
    mutating func update(_ change: (inout Fields) -> Void) {
        var fields = box.fields
        change(&fields)
        box = Box(fields)
    }

    public static func == (a: WorkloadAssessment, b: WorkloadAssessment) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    public var pods: [PodAssessment] {
        get { box.fields.pods }
        set {
            let reason = self.reason  // written out: it may point into the pods being replaced
            update {
                $0.reason = .text(reason)
                $0.pods = newValue
            }
        }
    }
    /// The same pods (in the same order) with new records: the reason still points at its pod.
    mutating func replacePodRecords(with pods: [PodAssessment]) {
        update { $0.pods = pods }
    }

    /// Why, in a sentence: the most urgent pod's reason, named.
    public var reason: String {
        get {
            switch box.fields.reason {
            case .text(let text): return text
            case .pod(let index, let named):
                let pod = box.fields.pods[index]
                return named ? "pod \(pod.name): \(pod.reason)" : pod.reason
            }
        }
        set { update { $0.reason = .text(newValue) } }
    }

    /// The strategy that will be used (`policy.strategy`).
    public var strategy: RestartStrategy { self.policy.strategy }

    /// Pods that hold an API token and are in scope.
    public var podsInScope: [PodAssessment] { pods.filter { $0.classification != .outOfScope } }

    /// How many pods are in scope, without building the list (the forecast asks for every workload).
    public var podsInScopeCount: Int { pods.reduce(0) { $1.classification != .outOfScope ? $0 + 1 : $0 } }
}
