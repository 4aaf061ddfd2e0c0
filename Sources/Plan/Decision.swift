import Assess
import KubeModel

/// The planner's verdict for one workload.
public struct Decision: Hashable, Sendable {
    public var workload: WorkloadID
    public var ref: ObjectRef
    public var action: PlanAction
    public var classification: Classification
    public var deadline: Timestamp?
    public var confirmedStale: Bool
    /// Pods holding tokens that need the restart, most urgent first (what an eviction sequence evicts).
    public var pods: [ObjectRef] {
        get { podList ?? subject.map { Self.pods(of: $0, early: early != nil) } ?? [] }
        set { podList = newValue }
    }
    /// Set when the restart starts before it is due, to spread a herd of deadlines.
    public var early: EarlyStart?
    /// A sentence and pods set explicitly; when nil they are worked out from `subject` when read.
    private var text: String?
    private var podList: [ObjectRef]?
    /// The assessment the planner decided on. Kept so the sentence and the pods are only worked
    /// out for the decisions someone reads: a pass decides every workload in view (a herd's
    /// thousands waiting for the window), but Events, logs and the executor take few of them.
    private var subject: WorkloadAssessment?

    /// One sentence for Events and logs.
    public var message: String {
        get {
            if let text { return text }
            guard let subject else { return "" }
            return DecisionMessage.text(subject, action, early: early)
        }
        set { text = newValue }
    }

    public init(
        workload: WorkloadID, ref: ObjectRef, action: PlanAction, classification: Classification, deadline: Timestamp?,
        confirmedStale: Bool, pods: [ObjectRef], message: String, early: EarlyStart? = nil
    ) {
        self.init(workload: workload, ref: ref, action: action, classification: classification, deadline: deadline,
                  confirmedStale: confirmedStale, pods: pods, early: early, text: message, subject: nil)
    }

    /// The planner's decision on `subject`, its sentence and pods worked out when read.
    init(_ subject: WorkloadAssessment, _ action: PlanAction, early: EarlyStart? = nil) {
        self.init(workload: subject.id, ref: subject.ref, action: action, classification: subject.classification,
                  deadline: subject.deadline, confirmedStale: subject.confirmedStale, pods: nil, early: early, text: nil,
                  subject: subject)
    }

    private init(
        workload: WorkloadID, ref: ObjectRef, action: PlanAction, classification: Classification, deadline: Timestamp?,
        confirmedStale: Bool, pods: [ObjectRef]?, early: EarlyStart?, text: String?, subject: WorkloadAssessment?
    ) {
        self.workload = workload
        self.ref = ref
        self.action = action
        self.classification = classification
        self.deadline = deadline
        self.confirmedStale = confirmedStale
        self.podList = pods
        self.early = early
        self.text = text
        self.subject = subject
    }

    /// Equal when every field and the sentence are equal, however the sentence came to be.
    public static func == (lhs: Decision, rhs: Decision) -> Bool {
        lhs.workload == rhs.workload && lhs.ref == rhs.ref && lhs.action == rhs.action
            && lhs.classification == rhs.classification && lhs.deadline == rhs.deadline
            && lhs.confirmedStale == rhs.confirmedStale && lhs.pods == rhs.pods && lhs.early == rhs.early
            && lhs.message == rhs.message
    }

    /// An early start replaces every pod holding a token; otherwise those that need it.
    private static func pods(of workload: WorkloadAssessment, early: Bool) -> [ObjectRef] {
        workload.pods.filter { early ? $0.classification != .outOfScope : $0.classification.needsRestart || $0.classification == .unprotectable }
            .sorted(by: PodAssessment.urgencyOrder)
            .map(\.ref)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(workload)
        hasher.combine(action)
        hasher.combine(deadline)
    }
}
