import APIClient
import Assess
import Foundation
import KubeModel
import Plan

/// One full reconcile's pure core over the whole cluster: assess every pod and workload, then
/// plan. CPU time of the one thread it runs on.
enum PlanBench {
    static func run(client: KubeClient) async throws -> [String: Any] {
        async let pods = client.listAll(Pod.self).items
        async let namespaces = client.listAll(Namespace.self).items
        async let replicaSets = client.listAll(ReplicaSet.self).items
        async let deployments = client.listAll(Deployment.self).items
        async let statefulSets = client.listAll(StatefulSet.self).items
        async let daemonSets = client.listAll(DaemonSet.self).items
        async let controllers = client.listAll(ReplicationController.self).items
        async let jobs = client.listAll(Job.self).items
        let snapshot = try await ClusterSnapshot(
            pods: pods, namespaces: namespaces, replicaSets: replicaSets, deployments: deployments,
            statefulSets: statefulSets, daemonSets: daemonSets, replicationControllers: controllers, jobs: jobs)
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        var bestAssess = Double.infinity, bestPlan = Double.infinity
        var workloads = 0, decisions = 0
        for _ in 0..<3 {
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
        ]
    }
}
