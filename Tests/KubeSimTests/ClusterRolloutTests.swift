import Foundation
import Testing

@testable import KubeSim

/// Tracks, through a store subscription, how many pods of an app exist and are ready at every
/// change during a rollout, and the sum of its ReplicaSets' `spec.replicas`.
///
/// The bound a Deployment's maxSurge puts on a rollout is on that sum (upstream
/// `NewRSNewReplicas`: `GetReplicaCountForReplicaSets(allRSs) >= replicas + maxSurge`), not on the
/// pods: a scaled-down old ReplicaSet deletes its pod a moment later, so the pods can overshoot
/// the bound by the ReplicaSet controllers' lag, as on a real cluster.
private final class PodCensus: @unchecked Sendable {
    private let lock = NSLock()
    private var maxActive = 0
    private var largestScheduled = 0
    private var minReady = Int.max
    private var deletedNames: [String] = []
    private var subscription: StoreSubscription?

    init(store: ResourceStore, app: String, namespace: String = "apps") {
        subscription = store.subscribe([ResourceCatalog.pods, ResourceCatalog.replicaSets], name: "census") { [weak self, weak store] delivery in
            guard let self, let store, case .events(let events) = delivery else { return }
            let pods = store.objects(ResourceCatalog.pods, namespace: namespace).filter { $0.labels["app"] == app }.map(\.value)
            let active = pods.filter(PodFacts.isActive).count
            let ready = pods.filter(PodFacts.isReady).count
            let scheduled = store.objects(ResourceCatalog.replicaSets, namespace: namespace).filter { $0.labels["app"] == app }
                .reduce(0) { $0 + Int($1.value.value(at: ["spec", "replicas"])?.intValue ?? 0) }
            self.lock.withLock {
                self.maxActive = max(self.maxActive, active)
                self.largestScheduled = max(self.largestScheduled, scheduled)
                self.minReady = min(self.minReady, ready)
                for event in events where event.kind == .deleted && event.type == ResourceCatalog.pods
                    && event.object.labels["app"] == app {
                    self.deletedNames.append(event.object.name)
                }
            }
        }
    }

    deinit { subscription?.cancel() }

    var result: (maxActive: Int, minReady: Int, deleted: [String]) { lock.withLock { (maxActive, minReady, deletedNames) } }
    /// The largest sum of the app's ReplicaSets' `spec.replicas` seen.
    var maxScheduled: Int { lock.withLock { largestScheduled } }
}

@Suite(.serialized) struct ClusterRolloutTests {
    private func complete(_ deployment: JSONValue?) -> Bool {
        guard let deployment, let replicas = deployment.value(at: ["spec", "replicas"])?.intValue else { return false }
        let status = deployment["status"]
        return status?["observedGeneration"]?.intValue == deployment.value(at: ["metadata", "generation"])?.intValue
            && status?["updatedReplicas"]?.intValue == replicas && status?["replicas"]?.intValue == replicas
            && status?["availableReplicas"]?.intValue == replicas
    }

    @Test func deploymentComesUpWithAdmittedPodsAndCompleteStatus() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.deployments, namespace: "apps", object: ClusterHarness.deployment("web", replicas: 3))
        harness.wait("web complete") { complete(harness.object(ResourceCatalog.deployments, "web")) }
        let deployment = harness.object(ResourceCatalog.deployments, "web")
        let progressing = deployment?.value(at: ["status", "conditions"])?.arrayValue?.first { $0["type"] == "Progressing" }
        #expect(progressing?["reason"] == "NewReplicaSetAvailable")
        #expect(deployment?.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "1")
        let pods = harness.readyPods(label: ("app", "web"))
        #expect(pods.count == 3)
        for pod in pods.map(\.value) {
            let volume = pod.value(at: ["spec", "volumes"])?.arrayValue?.last
            #expect(volume?["name"]?.stringValue?.hasPrefix("kube-api-access-") == true)
            #expect(volume?.value(at: ["projected", "sources"])?[0]?.value(at: ["serviceAccountToken", "expirationSeconds"]) == 3607)
            #expect(pod.value(at: ["spec", "containers"])?[0]?["volumeMounts"]?.arrayValue?.last?["mountPath"]
                == "/var/run/secrets/kubernetes.io/serviceaccount")
            #expect(pod.value(at: ["spec", "serviceAccountName"]) == "default")
            #expect(pod.value(at: ["status", "containerStatuses"])?[0]?.value(at: ["state", "running", "startedAt"]) != nil)
            #expect(PodFacts.controllerReference(pod)?["kind"] == "ReplicaSet")
        }
    }

    @Test(arguments: [(JSONValue.int(1), JSONValue.int(0)), (.int(0), .int(1)), (.string("25%"), .string("25%"))])
    func rollingUpdateHonoursSurgeAndUnavailability(maxSurge: JSONValue, maxUnavailable: JSONValue) throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.deployments, namespace: "apps",
                                 object: ClusterHarness.deployment("api", replicas: 4, maxSurge: maxSurge, maxUnavailable: maxUnavailable))
        harness.wait("api complete") { complete(harness.object(ResourceCatalog.deployments, "api")) }
        let before = Set(harness.pods(label: ("app", "api")).map(\.uid))
        let census = PodCensus(store: harness.store, app: "api")
        try harness.restart(ResourceCatalog.deployments, "api")
        harness.wait("all pods replaced") {
            complete(harness.object(ResourceCatalog.deployments, "api"))
                && harness.pods(label: ("app", "api")).allSatisfy { !before.contains($0.uid) }
                && harness.pods(label: ("app", "api")).count == 4
        }
        let surge = DisruptionBudgetMath.scaled(maxSurge, of: 4)
        let unavailable = DisruptionBudgetMath.scaledDown(maxUnavailable, of: 4)
        let (_, minReady, _) = census.result
        #expect(census.maxScheduled <= 4 + surge, "at most replicas + maxSurge pods scheduled across the ReplicaSets")
        #expect(minReady >= 4 - unavailable, "at least replicas - maxUnavailable ready")
        let sets = harness.store.objects(ResourceCatalog.replicaSets, namespace: "apps")
        #expect(sets.count == 2)
        #expect(harness.object(ResourceCatalog.deployments, "api")?.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "2")
        #expect(harness.cluster.recorder.rollouts(kind: "Deployment", name: "api").filter { $0.ended != nil }.count >= 1)
    }

    @Test func aRolloutDeletesOldReplicaSetsBeyondTheHistoryLimit() throws {
        let harness = try ClusterHarness()
        var deployment = ClusterHarness.deployment("lean", replicas: 2)
        deployment.set(0, at: ["spec", "revisionHistoryLimit"])
        try harness.store.create(ResourceCatalog.deployments, namespace: "apps", object: deployment)
        harness.wait("lean complete") { complete(harness.object(ResourceCatalog.deployments, "lean")) }
        let first = harness.store.objects(ResourceCatalog.replicaSets, namespace: "apps").map(\.uid)
        try harness.restart(ResourceCatalog.deployments, "lean")
        harness.wait("the old ReplicaSet deleted once scaled down") {
            let sets = harness.store.objects(ResourceCatalog.replicaSets, namespace: "apps")
            return complete(harness.object(ResourceCatalog.deployments, "lean"))
                && harness.object(ResourceCatalog.deployments, "lean")?.value(at: ["metadata", "generation"]) == 2
                && sets.count == 1 && sets[0].uid != first.first
        }
        #expect(first.count == 1)
    }

    @Test func recreateStopsOldPodsFirst() throws {
        let harness = try ClusterHarness()
        var deployment = ClusterHarness.deployment("batch", replicas: 2)
        deployment.set(["type": "Recreate"], at: ["spec", "strategy"])
        try harness.store.create(ResourceCatalog.deployments, namespace: "apps", object: deployment)
        harness.wait("batch complete") { complete(harness.object(ResourceCatalog.deployments, "batch")) }
        let census = PodCensus(store: harness.store, app: "batch")
        try harness.restart(ResourceCatalog.deployments, "batch")
        harness.wait("batch rolled") {
            complete(harness.object(ResourceCatalog.deployments, "batch"))
                && harness.object(ResourceCatalog.deployments, "batch")?.value(at: ["metadata", "generation"]) == 2
        }
        #expect(census.result.maxActive <= 2)
        #expect(census.result.minReady == 0)
    }

    @Test func pausedDeploymentDoesNotRollUntilResumed() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.deployments, namespace: "apps", object: ClusterHarness.deployment("quiet", replicas: 2))
        harness.wait("quiet complete") { complete(harness.object(ResourceCatalog.deployments, "quiet")) }
        let before = Set(harness.pods(label: ("app", "quiet")).map(\.uid))
        try harness.store.modify(ResourceCatalog.deployments, namespace: "apps", name: "quiet") { value throws(StatusError) in
            value.set(true, at: ["spec", "paused"])
        }
        try harness.restart(ResourceCatalog.deployments, "quiet")
        harness.wait("paused condition") {
            harness.object(ResourceCatalog.deployments, "quiet")?.value(at: ["status", "conditions"])?.arrayValue?
                .contains { $0["reason"] == "DeploymentPaused" } == true
        }
        usleep(300_000)
        #expect(Set(harness.pods(label: ("app", "quiet")).map(\.uid)) == before)
        #expect(harness.store.objects(ResourceCatalog.replicaSets, namespace: "apps").count == 1)
        try harness.store.modify(ResourceCatalog.deployments, namespace: "apps", name: "quiet") { value throws(StatusError) in
            value.remove(at: ["spec", "paused"])
        }
        harness.wait("quiet rolled after resume") {
            complete(harness.object(ResourceCatalog.deployments, "quiet"))
                && harness.pods(label: ("app", "quiet")).allSatisfy { !before.contains($0.uid) }
        }
    }

    @Test func statefulSetRollsHighestOrdinalFirst() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.statefulSets, namespace: "apps", object: ClusterHarness.statefulSet("db", replicas: 3))
        harness.wait("db ready") { harness.readyPods(label: ("app", "db")).count == 3 }
        #expect(Set(harness.pods(label: ("app", "db")).map(\.name)) == ["db-0", "db-1", "db-2"])
        let census = PodCensus(store: harness.store, app: "db")
        try harness.restart(ResourceCatalog.statefulSets, "db")
        harness.wait("db rolled") {
            let status = harness.object(ResourceCatalog.statefulSets, "db")?["status"]
            return status?["updatedReplicas"] == 3 && status?["readyReplicas"] == 3
                && status?["currentRevision"] == status?["updateRevision"] && census.result.deleted.count == 3
        }
        #expect(census.result.deleted == ["db-2", "db-1", "db-0"])
        #expect(census.result.minReady >= 2)
    }

    @Test func onDeleteStatefulSetDoesNotRollButRecreatesAtTheNewRevision() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.statefulSets, namespace: "apps",
                                 object: ClusterHarness.statefulSet("cache", replicas: 2, onDelete: true))
        harness.wait("cache ready") { harness.readyPods(label: ("app", "cache")).count == 2 }
        let before = Set(harness.pods(label: ("app", "cache")).map(\.uid))
        try harness.restart(ResourceCatalog.statefulSets, "cache")
        harness.wait("new update revision") {
            let status = harness.object(ResourceCatalog.statefulSets, "cache")?["status"]
            return status?["observedGeneration"] == 2 && status?["updateRevision"] != status?["currentRevision"]
        }
        usleep(300_000)
        #expect(Set(harness.pods(label: ("app", "cache")).map(\.uid)) == before)
        let updateRevision = harness.object(ResourceCatalog.statefulSets, "cache")?.value(at: ["status", "updateRevision"])
        try harness.store.delete(ResourceCatalog.pods, namespace: "apps", name: "cache-1")
        harness.wait("cache-1 back") { harness.readyPods(label: ("app", "cache")).count == 2 }
        let recreated = harness.object(ResourceCatalog.pods, "cache-1")
        #expect(recreated?.value(at: ["metadata", "labels", "controller-revision-hash"]) == updateRevision)
        harness.wait("one pod updated") {
            harness.object(ResourceCatalog.statefulSets, "cache")?.value(at: ["status", "updatedReplicas"]) == 1
        }
    }

    @Test func daemonSetRollsAcrossNodesOneAtATime() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.daemonSets, namespace: "apps", object: ClusterHarness.daemonSet("agent"))
        harness.wait("agent on every node") { harness.readyPods(label: ("app", "agent")).count == 3 }
        #expect(Set(harness.pods(label: ("app", "agent")).compactMap { $0.fields["spec.nodeName"] }) == ["node-1", "node-2", "node-3"])
        let before = Set(harness.pods(label: ("app", "agent")).map(\.uid))
        let census = PodCensus(store: harness.store, app: "agent")
        try harness.restart(ResourceCatalog.daemonSets, "agent")
        harness.wait("agent rolled") {
            let status = harness.object(ResourceCatalog.daemonSets, "agent")?["status"]
            return status?["updatedNumberScheduled"] == 3 && status?["numberAvailable"] == 3
                && harness.pods(label: ("app", "agent")).allSatisfy { !before.contains($0.uid) }
        }
        #expect(census.result.minReady >= 2)
        #expect(harness.object(ResourceCatalog.daemonSets, "agent")?.value(at: ["status", "desiredNumberScheduled"]) == 3)
    }

    @Test func replicationControllersAndBareReplicaSetsRecreateDeletedPods() throws {
        let harness = try ClusterHarness()
        try harness.store.create(ResourceCatalog.replicationControllers, namespace: "apps",
                                 object: ClusterHarness.replicationController("legacy", replicas: 2))
        var bare = ClusterHarness.deployment("plain", replicas: 2)
        bare["kind"] = "ReplicaSet"
        bare.remove(at: ["spec", "strategy"])
        bare.remove(at: ["spec", "revisionHistoryLimit"])
        bare.remove(at: ["spec", "progressDeadlineSeconds"])
        try harness.store.create(ResourceCatalog.replicaSets, namespace: "apps", object: bare)
        for app in ["legacy", "plain"] {
            harness.wait("\(app) ready") { harness.readyPods(label: ("app", app)).count == 2 }
            let victim = try #require(harness.pods(label: ("app", app)).first)
            try harness.store.delete(ResourceCatalog.pods, namespace: "apps", name: victim.name)
            harness.wait("\(app) replacement") {
                let pods = harness.readyPods(label: ("app", app))
                return pods.count == 2 && !pods.contains { $0.uid == victim.uid }
            }
            let replacement = harness.pods(label: ("app", app)).first { $0.uid != victim.uid }?.value
            #expect(PodFacts.controllerReference(replacement ?? nil)?["controller"] == true)
        }
        #expect(harness.object(ResourceCatalog.replicationControllers, "legacy")?.value(at: ["status", "readyReplicas"]) == 2)
    }

    @Test func recorderCountsConcurrentRolloutsClusterWideAndPerNamespace() throws {
        let harness = try ClusterHarness(namespaces: ["team-a", "team-b"])
        for (name, namespace) in [("one", "team-a"), ("two", "team-a"), ("three", "team-b")] {
            try harness.store.create(ResourceCatalog.deployments, namespace: namespace,
                                     object: ClusterHarness.deployment(name, replicas: 2, namespace: namespace))
        }
        harness.wait("all complete") {
            [("one", "team-a"), ("two", "team-a"), ("three", "team-b")].allSatisfy {
                complete(harness.object(ResourceCatalog.deployments, $0.0, namespace: $0.1))
            }
        }
        harness.cluster.recorder.reset()
        #expect(harness.cluster.recorder.maxConcurrent == 0)
        try harness.restart(ResourceCatalog.deployments, "one", namespace: "team-a")
        harness.wait("one done") { harness.cluster.recorder.rollouts(name: "one").contains { $0.ended != nil } }
        #expect(harness.cluster.recorder.maxConcurrent == 1)
        for (name, namespace) in [("one", "team-a"), ("two", "team-a"), ("three", "team-b")] {
            try harness.restart(ResourceCatalog.deployments, name, namespace: namespace, at: "2026-11-23T21:00:00Z")
        }
        // At least the four restarts (a late status update of a Deployment that had just come up
        // may add a short rollout of its own after the reset).
        harness.wait("all rolled") {
            let ended = harness.cluster.recorder.rollouts().filter { $0.ended != nil }
            return harness.cluster.recorder.inProgress.isEmpty
                && ended.filter { $0.name == "one" }.count >= 2 && ended.contains { $0.name == "two" } && ended.contains { $0.name == "three" }
        }
        #expect(harness.cluster.recorder.maxConcurrent >= 2)
        #expect(harness.cluster.recorder.maxConcurrent(namespace: "team-b") == 1)
        #expect(harness.cluster.recorder.maxConcurrent(namespace: "team-a") <= 2)
        let rollout = try #require(harness.cluster.recorder.rollouts(kind: "Deployment", namespace: "team-b", name: "three").first)
        #expect(rollout.ended.map { $0 >= rollout.started } == true)
    }
}
