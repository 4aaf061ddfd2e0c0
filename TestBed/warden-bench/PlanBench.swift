import APIClient
import Assess
import Foundation
import KubeModel
import Plan

/// One full reconcile's pure core over the whole cluster (the objects kept as the controller's
/// caches keep them): assess every pod and workload, then
/// plan. CPU time of the one thread it runs on. "cold": nothing remembered (the first pass);
/// "steady": a pass over an unchanged cache after one before it, as the controller runs most
/// of the time (the assessment memo reuses every workload; the plan is made afresh).
enum PlanBench {
    static func run(client: KubeClient, repeats: Int = 3) async throws -> [String: Any] {
        let records = PodRecordBuilder()
        async let pods = client.listAll(Pod.self, transform: records.record).items
        async let namespaces = client.listAll(Namespace.self, transform: \.cachedForm).items
        async let replicaSets = client.listAll(ReplicaSet.self, transform: \.cachedForm).items
        async let deployments = client.listAll(Deployment.self, transform: \.cachedForm).items
        async let statefulSets = client.listAll(StatefulSet.self, transform: \.cachedForm).items
        async let daemonSets = client.listAll(DaemonSet.self, transform: \.cachedForm).items
        async let controllers = client.listAll(ReplicationController.self, transform: \.cachedForm).items
        async let jobs = client.listAll(Job.self, transform: \.cachedForm).items
        let snapshot = try await ClusterSnapshot(
            podRecords: pods, namespaces: namespaces, replicaSets: replicaSets, deployments: deployments,
            statefulSets: statefulSets, daemonSets: daemonSets, replicationControllers: controllers, jobs: jobs)
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let snapshotRSS = Measure.retainedRSS()
        let heldRSS: Int
        do {  // what a running controller holds between passes: the cache and the memo of the last one
            let memo = AssessmentMemo()
            let assessment = Assessor().assess(snapshot, now: now, memo: memo)
            let plan = Planner().plan(assessment, now: now)
            heldRSS = withExtendedLifetime((assessment, plan)) { Measure.retainedRSS() }
        }
        var bestAssess = Double.infinity, bestPlan = Double.infinity
        var workloads = 0, decisions = 0
        var bestSteadyAssess = Double.infinity, bestSteadyPlan = Double.infinity, reused = 0
        for _ in 0..<max(1, repeats) {
            let memo = AssessmentMemo()
            _ = Assessor().assess(snapshot, now: now, memo: memo)
            let cpu0 = Measure.threadCPUSeconds()
            let assessment = Assessor().assess(snapshot, now: now, memo: memo)
            let cpu1 = Measure.threadCPUSeconds()
            _ = Planner().plan(assessment, now: now)
            let cpu2 = Measure.threadCPUSeconds()
            bestSteadyAssess = min(bestSteadyAssess, cpu1 - cpu0)
            bestSteadyPlan = min(bestSteadyPlan, cpu2 - cpu1)
            reused = memo.lastHits
        }
        for _ in 0..<max(1, repeats) {
            let cpu0 = Measure.threadCPUSeconds()
            let assessment = Assessor().assess(snapshot, now: now)
            let cpu1 = Measure.threadCPUSeconds()
            let plan = Planner().plan(assessment, now: now)
            let cpu2 = Measure.threadCPUSeconds()
            bestAssess = min(bestAssess, cpu1 - cpu0)
            bestPlan = min(bestPlan, cpu2 - cpu1)
            workloads = assessment.workloads.count
            decisions = plan.decisions.count
        }
        return [
            "command": "plan", "pods": snapshot.pods.count, "workloads": workloads, "decisions": decisions,
            "assess_cpu_s": bestAssess, "plan_cpu_s": bestPlan, "assess_plan_cpu_s": bestAssess + bestPlan,
            "steady_assess_cpu_s": bestSteadyAssess, "steady_plan_cpu_s": bestSteadyPlan,
            "steady_assess_plan_cpu_s": bestSteadyAssess + bestSteadyPlan, "steady_workloads_reused": reused,
            "snapshot_rss_bytes": snapshotRSS, "pass_held_rss_bytes": heldRSS, "peak_rss_bytes": Measure.memory().peak,
        ]
    }
}
