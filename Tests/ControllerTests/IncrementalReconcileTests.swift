import Act
import Assess
import Controller
import KubeModel
import Observe
import Plan
import Synchronization
import Testing

/// The controller's incremental pass over its watch caches: the pod store keeps the owner index
/// on every write, the caches log what changed, and after any sequence of writes the pass gives
/// what a full assessment of a snapshot of the same caches gives.
@Suite struct IncrementalReconcileTests {
    final class PassClock: Sendable {
        let now = Mutex(reconcileNow)
    }

    func reconciler(_ caches: ClusterCaches, clock: PassClock = PassClock(), metrics: WardenMetrics? = nil) -> Reconciler {
        Reconciler(caches: caches, configuration: ControllerConfiguration(defaults: PolicyDefaults(mode: .report)),
                   actions: RecordingActions(), metrics: metrics, clock: { clock.now.withLock { $0 } })
    }

    /// The index holds exactly the store's pods, grouped by owner.
    func expectIndexMatchesStore(_ caches: ClusterCaches) {
        var regrouped: [PodGroupKey: Set<String>] = [:]
        for pod in caches.pods.list() { regrouped[pod.groupKey, default: []].insert(pod.name) }
        var indexed: [PodGroupKey: Set<String>] = [:]
        for group in caches.podGroups() { indexed[group] = Set(caches.pods(in: group).map(\.name)) }
        #expect(indexed == regrouped)
        // And by namespace (the evidence fail-safe reads the controller's own namespace so).
        let all = caches.pods.list()
        for namespace in Set(all.map(\.namespace)).union(["no-such-namespace"]) {
            let listed = all.filter { $0.namespace == namespace }.map(\.name).sorted()
            #expect(caches.podGroupIndex.pods(inNamespace: namespace).map(\.name).sorted() == listed, "\(namespace)")
        }
    }

    func expectPassEqualsFull(_ reconciler: Reconciler, _ caches: ClusterCaches, now: Timestamp) async {
        let outcome = await reconciler.reconcile(isLeader: true)
        let full = Assessor(defaults: PolicyDefaults(mode: .report)).assess(caches.snapshot(), now: now)
        let differing = zip(outcome.assessment?.workloads ?? [], full.workloads).filter { $0 != $1 }
            .map { "\($0.0.id) \($0.0.classification) \($0.0.reason) | \($0.1.id) \($0.1.classification) \($0.1.reason)" }
        #expect(outcome.assessment == full, "\(differing)")
        #expect(outcome.plan == Planner().plan(full, now: now))
        expectIndexMatchesStore(caches)
    }

    func restarted(_ pod: Pod, at instant: Timestamp, resourceVersion: String) -> Pod {
        var pod = pod
        pod.metadata.resourceVersion = resourceVersion
        pod.status?.containerStatuses?[0].state = ContainerState(running: ContainerStateRunning(startedAt: instant))
        return pod
    }

    @Test func everyKindOfWriteGivesTheFullAssessment() async {
        let web = DeploymentFamily("shop", "web", ageDays: 340), api = DeploymentFamily("shop", "api", ageDays: 10)
        let batch = DeploymentFamily("jobs", "batch", replicas: 3, ageDays: 200), etl = DeploymentFamily("jobs", "etl", ageDays: 30)
        let caches = makeCaches([web, api, batch, etl])
        let clock = PassClock()
        let reconciler = reconciler(caches, clock: clock)
        await expectPassEqualsFull(reconciler, caches, now: reconcileNow)

        // A pod restarts (the at-risk workload becomes fine), another is deleted.
        caches.pods.upsert(caches.podRecords.record(restarted(web.pods[0], at: reconcileNow - 60, resourceVersion: "2")))
        caches.pods.remove(caches.podRecords.record(batch.pods[2]))
        await expectPassEqualsFull(reconciler, caches, now: reconcileNow)

        // A pod adopted by another ReplicaSet of its namespace: both workloads change.
        var adopted = batch.pods[1]
        adopted.metadata.ownerReferences = etl.pods[0].metadata.ownerReferences
        adopted.metadata.resourceVersion = "3"
        caches.pods.upsert(caches.podRecords.record(adopted))
        await expectPassEqualsFull(reconciler, caches, now: reconcileNow)

        // Policy on the workload and on the namespace; a ReplicaSet gone (its pods lose their Deployment).
        var deployment = api.deployment
        deployment.metadata.annotations = ["token-warden.dev/restart-before": "400d"]
        caches.deployments.upsert(deployment)
        caches.namespaces.upsert(Namespace(metadata: ObjectMeta(name: "jobs", uid: "uid-ns-jobs", annotations: ["token-warden.dev/mode": "ignore"])))
        caches.replicaSets.remove(web.replicaSet)
        await expectPassEqualsFull(reconciler, caches, now: reconcileNow)

        // The clock across restart-before of the 200-day-old pods, then a relist that changes one pod.
        let later = reconcileNow + 150 * oneDay
        clock.now.withLock { $0 = later }
        await expectPassEqualsFull(reconciler, caches, now: later)
        let relisted = [restarted(batch.pods[0], at: later - 5, resourceVersion: "9"), adopted] + web.pods + api.pods + etl.pods
        caches.pods.replace(relisted.map(caches.podRecords.record), resourceVersion: "9")
        await expectPassEqualsFull(reconciler, caches, now: later)
    }

    /// Each change drained by a pass is timed to that pass's decisions.
    @Test func eventToDecisionIsObserved() async {
        let family = DeploymentFamily("shop", "web", ageDays: 10)
        let caches = makeCaches([family])
        let metrics = WardenMetrics()
        let reconciler = reconciler(caches, metrics: metrics)
        _ = await reconciler.reconcile(isLeader: true)
        let first = String(decoding: metrics.exposition(), as: UTF8.self)
        caches.pods.upsert(caches.podRecords.record(restarted(family.pods[0], at: reconcileNow - 1, resourceVersion: "2")))
        _ = await reconciler.reconcile(isLeader: true)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let count = text.split(separator: "\n").first { $0.hasPrefix("token_warden_event_to_decision_seconds_count") }
        let before = first.split(separator: "\n").first { $0.hasPrefix("token_warden_event_to_decision_seconds_count") }
        #expect(count != nil && count != before, "\(String(describing: before)) → \(String(describing: count))")
    }
}
