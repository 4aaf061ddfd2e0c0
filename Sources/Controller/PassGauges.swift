import Assess
import KubeModel
import Observe
import Plan

/// The gauges a pass sets, computed from its assessment and plan (pure; `Reconciler` sets them
/// on `WardenMetrics`, `PassEffects` decides the counters).
struct PassGauges: Equatable, Sendable {
    var podCounts: [TokenClassification: Int] = [:]
    /// Confirmed-stale pods by where their evidence is kept (on the pod, or only in memory).
    var podsWithEvidence: [EvidenceSourceLabel: Int] = [:]
    var workloadCounts: [TokenClassification: Int] = [:]
    var workloadDeadlines: [WorkloadDeadline] = []
    var forecastMisses = 0
    var lastSuccessfulSync: Double = 0

    /// `tally` counts what the assessment holds (kept up to date by an incremental pass; computed
    /// here for a full one); `nextEarliest` bounds the healthy workloads whose deadlines are kept;
    /// `needingRestart`: every workload of the assessment that needs a restart, in deadline order,
    /// when the caller has them at hand (an incremental pass's view), so that only the head of
    /// the assessment is read.
    init(_ assessment: Assessment, tally: AssessmentTally? = nil, _ plan: Plan, now: Timestamp,
         nextEarliest: Int = DeadlineSeriesSelection.defaultNextEarliest, needingRestart: [WorkloadAssessment]? = nil) {
        let tally = tally ?? AssessmentTally(assessment)
        for (classification, count) in tally.pods { podCounts[TokenClassification(classification), default: 0] += count }
        if tally.podsWithEvidenceOnPod > 0 { podsWithEvidence[.annotation] = tally.podsWithEvidenceOnPod }
        if tally.podsWithEvidenceHereOnly > 0 { podsWithEvidence[.webhook] = tally.podsWithEvidenceHereOnly }
        for (classification, count) in tally.workloads { workloadCounts[TokenClassification(classification), default: 0] += count }
        workloadDeadlines = Self.deadlineCandidates(
            head: assessment.workloads, needingRestart: needingRestart ?? assessment.workloads.filter { $0.classification.needsRestart },
            now: now, nextEarliest: nextEarliest)
        forecastMisses = plan.predictedMisses.count
        lastSuccessfulSync = Double(now.seconds)
    }

    /// What `DeadlineSeriesSelection` can choose from: every workload that needs a restart, and
    /// the healthy ones up to the deadline of the `nextEarliest`-th (ties included). The
    /// assessment is in deadline order, so the other tens of thousands are never built.
    static func deadlineCandidates(_ assessment: Assessment, now: Timestamp, nextEarliest wanted: Int) -> [WorkloadDeadline] {
        deadlineCandidates(head: assessment.workloads, needingRestart: assessment.workloads.filter { $0.classification.needsRestart },
                           now: now, nextEarliest: wanted)
    }

    /// The same from the assessment's workloads (`ordered`, in deadline order), read only up to
    /// the first healthy workload past the cut, and those that need a restart (`needingRestart`,
    /// in deadline order), which give the candidates after it: every later healthy workload is
    /// past the cut too (deadlines only grow; workloads without one come last and have none).
    static func deadlineCandidates(
        head ordered: [WorkloadAssessment], needingRestart: [WorkloadAssessment], now: Timestamp, nextEarliest wanted: Int
    ) -> [WorkloadDeadline] {
        var candidates: [WorkloadDeadline] = []
        var healthy = 0
        var lastHealthy: Timestamp?
        var cut: WorkloadAssessment?
        func add(_ workload: WorkloadAssessment, deadline: Timestamp) {
            candidates.append(WorkloadDeadline(
                namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name,
                secondsRemaining: Double(deadline - now), needsRestart: workload.classification.needsRestart))
        }
        for workload in ordered {
            guard let deadline = workload.deadline else { break }
            if !workload.classification.needsRestart {
                if healthy >= wanted, let lastHealthy, deadline > lastHealthy {
                    cut = workload
                    break
                }
                healthy += 1
                lastHealthy = deadline
            }
            add(workload, deadline: deadline)
        }
        if let cut {
            for workload in needingRestart where Assessment.deadlineOrder(cut, workload) {
                if let deadline = workload.deadline { add(workload, deadline: deadline) }
            }
        }
        return candidates
    }

    func set(on metrics: WardenMetrics) {
        metrics.setPodCounts(podCounts)
        metrics.setPodsWithEvidence(podsWithEvidence)
        metrics.setWorkloadCounts(workloadCounts)
        metrics.setWorkloadDeadlines(workloadDeadlines)
        metrics.setForecastMisses(forecastMisses)
        metrics.setLastSuccessfulSync(unixSeconds: lastSuccessfulSync)
    }
}
