import Foundation
import Logging

/// Argo Rollouts (argoproj.io/v1alpha1), as far as a restart needs: the Rollout controls one
/// ReplicaSet of its template (created when missing, labelled `rollouts-pod-template-hash`, kept at
/// `spec.replicas`), and `spec.restartAt` restarts its pods the way Argo's `RolloutPodRestarter`
/// does — once the instant has passed, one pod created before it is deleted at a time, only while
/// the ReplicaSet is fully available and no pod is terminating; when none is left,
/// `status.restartedAt` is set to `spec.restartAt`. Template updates (canary steps, blue-green)
/// are not simulated.
enum ArgoRolloutController {
    static let hashLabel = "rollouts-pod-template-hash"

    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) -> TimeInterval? {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.argoRollouts, namespace: namespace, name: name), !stored.deletionPending else { return nil }
        let rollout = stored.value
        let replicas = PodFacts.int(rollout.value(at: ["spec", "replicas"]), default: 1)
        let owned = DeploymentController.ownedReplicaSets(of: stored, deployment: rollout, store: store)
        let set: StoredObject
        if let newest = owned.last { set = newest.stored } else { set = try createReplicaSet(for: stored, rollout: rollout, store: store) }
        if PodFacts.int(set.value.value(at: ["spec", "replicas"]), default: 1) != replicas {
            try store.modify(ResourceCatalog.replicaSets, namespace: namespace, name: set.name) { value throws(StatusError) in
                value.set(.int(Int64(replicas)), at: ["spec", "replicas"])
            }
        }
        let pods = ReplicaSetController.ownedPods(of: set, object: set.value, store: store)
        let ready = pods.filter { PodFacts.isReady($0) && !isTerminating($0) }.count
        var requeue: TimeInterval?
        var restartedAt = rollout.value(at: ["status", "restartedAt"])?.stringValue
        if let restartAt = rollout.value(at: ["spec", "restartAt"])?.stringValue, restartAt != restartedAt,
           let instant = RFC3339.parse(restartAt) {
            let now = Int64(Date().timeIntervalSince1970)
            let old = pods.filter { pod in
                (pod.value(at: ["metadata", "creationTimestamp"])?.stringValue).flatMap(RFC3339.parse).map { $0 < instant } ?? false
            }
            if instant > now {
                requeue = TimeInterval(instant - now)
            } else if old.isEmpty {
                restartedAt = restartAt
            } else {
                requeue = 0.1
                if ready >= replicas && !pods.contains(where: isTerminating), let pod = old.first,
                   let podName = pod.value(at: ["metadata", "name"])?.stringValue {
                    try StatefulSetController.deletePod(pod, namespace: namespace, store: store)
                    cluster.logger.debug("rollout restart: pod deleted", metadata: ["rollout": "\(namespace)/\(name)", "pod": "\(podName)"])
                }
            }
        }
        let hash = set.labels[hashLabel] ?? ""
        let restarting = requeue != nil
        let settled = ready >= replicas && !restarting
        try store.modify(ResourceCatalog.argoRollouts, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            status["replicas"] = .int(Int64(pods.filter { !isTerminating($0) }.count))
            status["updatedReplicas"] = .int(Int64(pods.filter { !isTerminating($0) }.count))
            status["readyReplicas"] = .int(Int64(ready))
            status["availableReplicas"] = .int(Int64(ready))
            status["currentPodHash"] = .string(hash)
            status["stableRS"] = .string(hash)
            status["observedGeneration"] = .string(String(stored.generation))
            status["phase"] = .string(settled ? "Healthy" : "Progressing")
            if let restartedAt { status["restartedAt"] = .string(restartedAt) }
            value["status"] = .object(status)
        }
        cluster.recorder.update(kind: "Rollout", namespace: namespace, name: name, inProgress: !settled)
        return requeue
    }

    private static func isTerminating(_ pod: JSONValue) -> Bool { pod.value(at: ["metadata", "deletionTimestamp"]) != nil }

    private static func createReplicaSet(for owner: StoredObject, rollout: JSONValue, store: ResourceStore) throws(StatusError) -> StoredObject {
        let template = rollout.value(at: ["spec", "template"]) ?? [:]
        let maker = ReplicaSetMaker(owner: owner, ownerAPIVersion: "argoproj.io/v1alpha1", ownerKind: "Rollout", hashLabel: hashLabel)
        let set = maker.manifest(
            template: template, selector: rollout.value(at: ["spec", "selector"]) ?? [:],
            hash: TemplateHash.hash(PodFacts.templateIgnoring(label: hashLabel, in: template)),
            replicas: PodFacts.int(rollout.value(at: ["spec", "replicas"]), default: 1))
        return try store.create(ResourceCatalog.replicaSets, namespace: owner.namespace, object: set)
    }
}
