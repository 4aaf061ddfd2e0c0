import KubeModel

/// What the metrics report of an assessment: pods and workloads per classification, and pods
/// with stale-token evidence by where it is kept. Computed from an `Assessment`, or kept up to
/// date by `AssessmentState` workload by workload, so a pass does not count 150k pods again.
public struct AssessmentTally: Sendable, Equatable {
    public private(set) var pods: [Classification: Int] = [:]
    public private(set) var workloads: [Classification: Int] = [:]
    /// Confirmed-stale pods whose evidence is kept on the pod (annotation).
    public private(set) var podsWithEvidenceOnPod = 0
    /// Confirmed-stale pods whose evidence is known here only (webhook).
    public private(set) var podsWithEvidenceHereOnly = 0

    public init() {}

    public init(_ assessment: Assessment) {
        for workload in assessment.workloads { add(workload) }
    }

    mutating func add(_ workload: WorkloadAssessment) { count(workload, by: 1) }

    mutating func subtract(_ workload: WorkloadAssessment) { count(workload, by: -1) }

    /// Whether `a` and `b` count alike: an assessment made again after a pod's status changed
    /// usually does, and then the tally needs no step.
    static func countsAlike(_ a: WorkloadAssessment, _ b: WorkloadAssessment) -> Bool {
        a.classification == b.classification && a.pods.count == b.pods.count
            && zip(a.pods, b.pods).allSatisfy { p, q in
                p.classification == q.classification && p.confirmedStale == q.confirmedStale && p.evidenceOnPod == q.evidenceOnPod
            }
    }

    private mutating func count(_ workload: WorkloadAssessment, by step: Int) {
        workloads[workload.classification, default: 0] += step
        for pod in workload.pods {
            pods[pod.classification, default: 0] += step
            if pod.confirmedStale {
                if pod.evidenceOnPod { podsWithEvidenceOnPod += step } else { podsWithEvidenceHereOnly += step }
            }
        }
        // Zero counts are dropped so a tally kept by steps equals one computed afresh.
        if workloads[workload.classification] == 0 { workloads[workload.classification] = nil }
        for pod in workload.pods where pods[pod.classification] == 0 { pods[pod.classification] = nil }
    }
}
