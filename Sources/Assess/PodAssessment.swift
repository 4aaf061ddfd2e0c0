import KubeModel

/// One pod under the token-age model.
public struct PodAssessment: Hashable, Sendable {
    /// The cached pod, kept rather than copied: an assessment of every pod is held between
    /// passes, and its name and uid as strings would be two heap objects per pod.
    public internal(set) var record: PodRecord
    public var ref: ObjectRef { ObjectRef(kind: "Pod", namespace: record.namespace, name: record.name, uid: record.uid?.description) }
    public var name: String { record.name }
    public var phase: String? { record.phase.text }
    public var nodeName: String? { record.nodeName }
    public var ready: Bool { record.ready }
    public var classification: Classification
    /// Why, in a sentence (shown in reports and Events). Formatted on demand: most pods are
    /// assessed many times and never shown.
    public var reason: String { explanation.text(for: self) }
    var explanation: PodExplanation
    /// Runs the token-age model again over the pod's running containers that hold an API token,
    /// with the same assessor, clock, policy and evidence as the assessment. The result is not
    /// kept (an assessment of every pod is held between passes; these would be ~250 bytes per
    /// pod), so every call pays for the model once more.
    public func assessContainers() -> [ContainerAssessment] {
        containerSource.map {
            $0.assessor.containerAssessments(record, evidenceIssuedAt: $0.evidenceIssuedAt, evidenceSeenAt: $0.evidenceSeenAt)
        } ?? []
    }
    var containerSource: ContainerSource?

    /// The audit evidence used for this pod: the issue time of the token it presents, and when
    /// the API server saw it (nil without evidence, or when it is about an earlier process).
    public var evidenceTokenIssuedAt: Timestamp? { containerSource?.evidenceIssuedAt }
    public var evidenceSeenAt: Timestamp? { containerSource?.evidenceSeenAt }
    /// The evidence is kept on the pod (its annotations), not only in this process's memory.
    public var evidenceOnPod: Bool { record.annotations[PolicyAnnotation.staleTokenIssuedAt] != nil }

    struct ContainerSource: Sendable {
        let assessor: PodAssessor
        let evidenceIssuedAt: Timestamp?
        let evidenceSeenAt: Timestamp?
    }
    /// When its most urgent token stops working.
    public var deadline: Timestamp?
    /// When a restart becomes due: deadline − restart-before (the rotation instant when invalidated).
    public var restartDue: Timestamp?
    /// The earliest possible issue time among its tokens.
    public var oldestTokenIssuedAt: Timestamp?
    /// Audit events named this pod as using a stale token.
    public var confirmedStale: Bool
    /// The next instant its classification can change by the clock alone.
    public var nextTransition: Timestamp?

    /// Earliest deadline first (none last), then name: which pod speaks for a workload and the
    /// order a restart takes them in.
    public static func urgencyOrder(_ a: PodAssessment, _ b: PodAssessment) -> Bool {
        let (x, y) = (a.deadline ?? Timestamp(seconds: .max), b.deadline ?? Timestamp(seconds: .max))
        return x != y ? x < y : PodRecord.nameOrder(a.record, b.record)
    }

    // Equal when they say the same of the same pod facts, as when these were stored fields.
    public static func == (a: PodAssessment, b: PodAssessment) -> Bool {
        (a.record === b.record || (a.ref == b.ref && a.phase == b.phase && a.nodeName == b.nodeName && a.ready == b.ready))
            && a.classification == b.classification && a.explanation == b.explanation && a.assessContainers() == b.assessContainers()
            && a.deadline == b.deadline && a.restartDue == b.restartDue && a.oldestTokenIssuedAt == b.oldestTokenIssuedAt
            && a.confirmedStale == b.confirmedStale && a.nextTransition == b.nextTransition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(record.namespace)
        hasher.combine(name)
        hasher.combine(classification)
        hasher.combine(deadline)
    }
}
