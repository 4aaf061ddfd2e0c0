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

    init(_ assessment: Assessment, _ plan: Plan, now: Timestamp) {
        for workload in assessment.workloads {
            for pod in workload.pods {
                podCounts[TokenClassification(pod.classification), default: 0] += 1
                if pod.confirmedStale {
                    let onPod = pod.record.annotations[PolicyAnnotation.staleTokenIssuedAt] != nil
                    podsWithEvidence[onPod ? .annotation : .webhook, default: 0] += 1
                }
            }
        }
        for (classification, count) in assessment.counts { workloadCounts[TokenClassification(classification), default: 0] += count }
        workloadDeadlines = assessment.workloads.compactMap { workload in
            guard let deadline = workload.deadline else { return nil }
            return WorkloadDeadline(
                namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name,
                secondsRemaining: Double(deadline - now), needsRestart: workload.classification.needsRestart)
        }
        forecastMisses = plan.predictedMisses.count
        lastSuccessfulSync = Double(now.seconds)
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
