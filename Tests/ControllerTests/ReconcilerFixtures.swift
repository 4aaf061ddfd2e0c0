import Act
import Assess
import Controller
import Foundation
import KubeModel
import Plan
import Synchronization

/// A fixed "now" for the reconcile tests.
let reconcileNow = Timestamp(rfc3339: "2026-11-23T12:00:00Z")!
let oneDay: Int64 = 86_400

/// Records what the reconciler asked for instead of doing it.
final class RecordingActions: WorkloadActions {
    private let log = Mutex<(rollouts: [String], evictions: [String], recreations: [String], events: [WardenEvent])>(([], [], [], []))

    var rollouts: [String] { log.withLock { $0.rollouts } }
    var evictions: [String] { log.withLock { $0.evictions } }
    var events: [WardenEvent] { log.withLock { $0.events } }
    func events(_ reason: EventReason) -> [WardenEvent] { events.filter { $0.reason == reason } }

    /// How many Events to refuse as the client's write gate does (the lease in doubt).
    let refusals = Mutex(0)

    func emit(_ event: WardenEvent) async -> EventEmission {
        let refused = refusals.withLock { count in
            defer { count = max(0, count - 1) }
            return count > 0
        }
        if refused { return .fenced }
        log.withLock { $0.events.append(event) }
        return .handled
    }

    func startRollout(_ decision: Decision, now: Timestamp, afterFailedAttempt: Bool) async throws {
        log.withLock { $0.rollouts.append("\(decision.workload.namespace)/\(decision.workload.name)") }
    }

    func evictNext(_ decision: Decision, workloadPods: [Pod], now: Timestamp, timeoutSeconds: Int64) async throws -> EvictionStep {
        guard let pod = workloadPods.first else { return .done }
        log.withLock { $0.evictions.append(pod.metadata.name) }
        return .evicted(ObjectRef(pod))
    }

    private let completions = Mutex<[String]>([])
    /// Workloads whose completion was recorded (restart-completed-at).
    var recordedCompletions: [String] { completions.withLock { $0 } }

    func recordCompletion(of workload: ObjectRef, kind: WorkloadKind, now: Timestamp) async throws -> Bool {
        completions.withLock { $0.append("\(workload.namespace ?? "")/\(workload.name)") }
        return true
    }

    func recreate(_ decision: Decision, pod: Pod, now: Timestamp) async throws -> RecreationStep {
        log.withLock { $0.recreations.append(pod.metadata.name) }
        return .created(ObjectRef(pod))
    }
}

/// A Deployment → ReplicaSet → pods family whose containers started `ageDays` before `reconcileNow`.
struct DeploymentFamily {
    var deployment: Deployment
    var replicaSet: ReplicaSet
    var pods: [Pod]

    init(_ namespace: String, _ name: String, replicas: Int = 2, ageDays: Int64, annotations: [String: String]? = nil) {
        let uid = "uid-deploy-\(namespace)-\(name)"
        deployment = Deployment(
            metadata: ObjectMeta(name: name, namespace: namespace, uid: uid, resourceVersion: "1", generation: 1, annotations: annotations),
            spec: .init(replicas: replicas),
            status: .init(observedGeneration: 1, replicas: replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas))
        let rsName = "\(name)-5d4f8"
        replicaSet = ReplicaSet(
            metadata: ObjectMeta(name: rsName, namespace: namespace, uid: "uid-rs-\(namespace)-\(name)", resourceVersion: "1",
                                 ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: name, uid: uid, controller: true)]),
            spec: ReplicaSpec(replicas: replicas))
        let started = reconcileNow - ageDays * oneDay
        pods = (0..<replicas).map { i in
            Pod(
                metadata: ObjectMeta(name: "\(rsName)-\(i)", namespace: namespace, uid: "uid-pod-\(namespace)-\(name)-\(i)", resourceVersion: "1",
                                     creationTimestamp: started,
                                     ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: "uid-rs-\(namespace)-\(name)", controller: true)]),
                spec: PodSpec(serviceAccountName: "default", nodeName: "node-1",
                              volumes: [Volume(name: "kube-api-access-x", projected: ProjectedVolumeSource(sources: [
                                  VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(expirationSeconds: 3607)),
                              ]))],
                              containers: [Container(name: "app", volumeMounts: [VolumeMount(name: "kube-api-access-x", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount")])]),
                status: PodStatus(phase: "Running", startTime: started, conditions: [PodCondition(type: "Ready", status: "True")],
                                  containerStatuses: [ContainerStatus(name: "app", ready: true, restartCount: 0,
                                                                      state: ContainerState(running: ContainerStateRunning(startedAt: started)))]))
        }
    }
}

/// Caches filled by hand, as the reflectors would after their first list.
func makeCaches(_ families: [DeploymentFamily], namespaces: [Namespace]? = nil) -> ClusterCaches {
    let caches = ClusterCaches(signal: ChangeSignal())
    let names = Set(families.map { $0.deployment.metadata.namespace ?? "" })
    caches.namespaces.replace(namespaces ?? names.map { Namespace(metadata: ObjectMeta(name: $0, uid: "uid-ns-\($0)")) }, resourceVersion: "1")
    caches.deployments.replace(families.map(\.deployment), resourceVersion: "1")
    caches.replicaSets.replace(families.map(\.replicaSet), resourceVersion: "1")
    caches.pods.replace(families.flatMap(\.pods).map(caches.podRecords.record), resourceVersion: "1")
    caches.statefulSets.replace([], resourceVersion: "1")
    caches.daemonSets.replace([], resourceVersion: "1")
    caches.replicationControllers.replace([], resourceVersion: "1")
    caches.jobs.replace([], resourceVersion: "1")
    return caches
}
