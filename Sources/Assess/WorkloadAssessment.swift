import KubeModel

/// One workload (or bare pod) under the token-age model, with everything the planner,
/// the report and the Events need.
///
/// A value type whose fields live in one shared immutable box: the planner, the memo and the
/// report pass tens of thousands of these around, and copying one is then a single retain
/// instead of one per field. Setting a field makes a new box.
public struct WorkloadAssessment: Hashable, Sendable {
    /// Where `reason` comes from: a fixed sentence, or one of its pods' (formatted on demand).
    enum Reason: Hashable, Sendable {
        case text(String)
        /// `pods[index]`'s reason; prefixed with "pod NAME: " when `named`.
        case pod(Int, named: Bool)
    }

    struct Fields: Hashable, Sendable {
        var id: WorkloadID
        var ref: ObjectRef
        var ownerChain: [ObjectRef]
        var objectKnown: Bool
        var pods: [PodAssessment]
        var classification: Classification
        var reason: Reason
        var deadline: Timestamp?
        var restartDue: Timestamp?
        var oldestTokenIssuedAt: Timestamp?
        var confirmedStale: Bool
        var policy: EffectivePolicy
        var restartState: RestartState
        var rollout: RolloutStatus
        var paused: Bool
        var generation: Int64?
        var diagnostics: [Diagnostic]
        var nextTransition: Timestamp?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

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

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = box.fields
        change(&fields)
        box = Box(fields)
    }

    public static func == (a: WorkloadAssessment, b: WorkloadAssessment) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    public var id: WorkloadID {
        get { box.fields.id }
        set { update { $0.id = newValue } }
    }
    /// The workload object (with its uid when known).
    public var ref: ObjectRef {
        get { box.fields.ref }
        set { update { $0.ref = newValue } }
    }
    /// Objects between the pods and the workload (a Deployment's ReplicaSets) or above it (a Job's CronJob).
    public var ownerChain: [ObjectRef] {
        get { box.fields.ownerChain }
        set { update { $0.ownerChain = newValue } }
    }
    /// Whether the workload object itself was in the snapshot (custom owners never are).
    public var objectKnown: Bool {
        get { box.fields.objectKnown }
        set { update { $0.objectKnown = newValue } }
    }
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
    /// The most urgent pod's class (`out-of-scope` when no pod is in scope).
    public var classification: Classification {
        get { box.fields.classification }
        set { update { $0.classification = newValue } }
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
    /// The earliest pod deadline: when the first token stops working.
    public var deadline: Timestamp? {
        get { box.fields.deadline }
        set { update { $0.deadline = newValue } }
    }
    /// When a restart becomes due (deadline − restart-before; the rotation instant when invalidated).
    public var restartDue: Timestamp? {
        get { box.fields.restartDue }
        set { update { $0.restartDue = newValue } }
    }
    public var oldestTokenIssuedAt: Timestamp? {
        get { box.fields.oldestTokenIssuedAt }
        set { update { $0.oldestTokenIssuedAt = newValue } }
    }
    public var confirmedStale: Bool {
        get { box.fields.confirmedStale }
        set { update { $0.confirmedStale = newValue } }
    }
    public var policy: EffectivePolicy {
        get { box.fields.policy }
        set { update { $0.policy = newValue } }
    }
    public var restartState: RestartState {
        get { box.fields.restartState }
        set { update { $0.restartState = newValue } }
    }
    public var rollout: RolloutStatus {
        get { box.fields.rollout }
        set { update { $0.rollout = newValue } }
    }
    public var paused: Bool {
        get { box.fields.paused }
        set { update { $0.paused = newValue } }
    }
    /// metadata.generation of the workload object (to tell whether a patch was observed).
    public var generation: Int64? {
        get { box.fields.generation }
        set { update { $0.generation = newValue } }
    }
    /// Diagnostics about this workload's annotations and its Namespace's.
    public var diagnostics: [Diagnostic] {
        get { box.fields.diagnostics }
        set { update { $0.diagnostics = newValue } }
    }
    /// The next instant its classification can change by the clock alone.
    public var nextTransition: Timestamp? {
        get { box.fields.nextTransition }
        set { update { $0.nextTransition = newValue } }
    }

    /// The strategy that will be used (`policy.strategy`).
    public var strategy: RestartStrategy { policy.strategy }

    /// Pods that hold an API token and are in scope.
    public var podsInScope: [PodAssessment] { pods.filter { $0.classification != .outOfScope } }
}
