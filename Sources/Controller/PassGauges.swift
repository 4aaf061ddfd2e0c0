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
    /// here for a full one); `nextEarliest` bounds the healthy workloads whose deadlines are kept.
    init(_ assessment: Assessment, tally: AssessmentTally? = nil, _ plan: Plan, now: Timestamp,
         nextEarliest: Int = DeadlineSeriesSelection.defaultNextEarliest) {
        let tally = tally ?? AssessmentTally(assessment)
        for (classification, count) in tally.pods { podCounts[TokenClassification(classification), default: 0] += count }
        if tally.podsWithEvidenceOnPod > 0 { podsWithEvidence[.annotation] = tally.podsWithEvidenceOnPod }
        if tally.podsWithEvidenceHereOnly > 0 { podsWithEvidence[.webhook] = tally.podsWithEvidenceHereOnly }
        for (classification, count) in tally.workloads { workloadCounts[TokenClassification(classification), default: 0] += count }
        workloadDeadlines = Self.deadlineCandidates(assessment, now: now, nextEarliest: nextEarliest)
        forecastMisses = plan.predictedMisses.count
        lastSuccessfulSync = Double(now.seconds)
    }

    /// What `DeadlineSeriesSelection` can choose from: every workload that needs a restart, and
    /// the healthy ones up to the deadline of the `nextEarliest`-th (ties included). The
    /// assessment is in deadline order, so the other tens of thousands are never built.
    static func deadlineCandidates(_ assessment: Assessment, now: Timestamp, nextEarliest wanted: Int) -> [WorkloadDeadline] {
        var candidates: [WorkloadDeadline] = []
        var healthy = 0
        var lastHealthy: Timestamp?
        for workload in assessment.workloads {
            guard let deadline = workload.deadline else { continue }
            let needsRestart = workload.classification.needsRestart
            if !needsRestart {
                if healthy >= wanted, let lastHealthy, deadline > lastHealthy { continue }
                healthy += 1
                lastHealthy = deadline
            }
            candidates.append(WorkloadDeadline(
                namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name,
                secondsRemaining: Double(deadline - now), needsRestart: needsRestart))
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
