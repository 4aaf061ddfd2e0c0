import Assess
import KubeModel
import Observe
import Testing
@testable import Controller

/// The deadline series a pass exports come from a short list of candidates, not every workload:
/// the selection over the candidates is the selection over all of them.
@Suite struct DeadlineCandidatesTests {
    @Test(arguments: [0, 1, 3, 10]) func candidatesSelectWhatAllWorkloadsSelect(nextEarliest: Int) {
        // Ages with ties (same start: same deadline) and a few at risk among them.
        let families = (0..<40).map { index in
            DeploymentFamily("ns\(index % 3)", "w\(index)", replicas: 1, ageDays: [10, 10, 100, 200, 340, 350][index % 6] + Int64(index % 4))
        }
        let caches = makeCaches(families)
        let metrics = WardenMetrics(deadlineSelection: DeadlineSeriesSelection(nextEarliest: nextEarliest))
        let reconciler = Reconciler(caches: caches, configuration: ControllerConfiguration(), actions: RecordingActions(), metrics: metrics,
                                    clock: { reconcileNow })
        let assessment = Assessor().assess(caches.snapshot(), now: reconcileNow)
        let all = assessment.workloads.compactMap { workload in
            workload.deadline.map {
                WorkloadDeadline(namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name,
                                 secondsRemaining: Double($0 - reconcileNow), needsRestart: workload.classification.needsRestart)
            }
        }
        let candidates = reconciler.deadlineCandidates(assessment, now: reconcileNow)
        #expect(candidates.count < all.count || nextEarliest >= all.count)
        #expect(metrics.deadlineSelection.select(candidates) == metrics.deadlineSelection.select(all))
    }
}
