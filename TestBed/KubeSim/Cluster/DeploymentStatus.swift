import Foundation

/// A Deployment's status as the deployment controller computes it (sync.go calculateStatus and
/// progress.go conditions).
enum DeploymentStatus {
    static func write(deployment stored: StoredObject, value deployment: JSONValue, sets: [DeploymentController.Owned],
                      newSet: DeploymentController.Owned?, createdNew: Bool, paused: Bool,
                      cluster: SimulatedCluster) throws(StatusError) {
        let replicas = PodFacts.int(deployment.value(at: ["spec", "replicas"]), default: 1)
        let maxUnavailable = DisruptionBudgetMath.scaledDown(
            deployment.value(at: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]) ?? "25%", of: replicas)
        let statusReplicas = sets.reduce(0) { $0 + $1.statusReplicas }
        let updated = newSet?.statusReplicas ?? 0
        let ready = sets.reduce(0) { $0 + $1.ready }
        let available = sets.reduce(0) { $0 + $1.available }
        let complete = newSet != nil && updated == replicas && statusReplicas == replicas && available == replicas
            && newSet?.specReplicas == replicas
        let newName = newSet?.name ?? ""
        let now = JSONValue.string(PodFacts.timestamp(cluster.store.now()))

        let progressing: (status: String, reason: String, message: String)
        if paused {
            progressing = ("Unknown", "DeploymentPaused", "Deployment is paused")
        } else if complete {
            progressing = ("True", "NewReplicaSetAvailable", "ReplicaSet \"\(newName)\" has successfully progressed.")
        } else if createdNew {
            progressing = ("True", "NewReplicaSetCreated", "Created new replica set \"\(newName)\"")
        } else {
            progressing = ("True", "ReplicaSetUpdated", "ReplicaSet \"\(newName)\" is progressing.")
        }
        let isAvailable = available >= replicas - maxUnavailable
        let availableCondition = isAvailable
            ? ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")

        try cluster.store.modify(ResourceCatalog.deployments, namespace: stored.namespace, name: stored.name,
                                 subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            let oldConditions = status["conditions"]?.arrayValue ?? []
            status["observedGeneration"] = .int(stored.generation)
            status["replicas"] = .int(Int64(statusReplicas))
            status["updatedReplicas"] = .int(Int64(updated))
            status["readyReplicas"] = .int(Int64(ready))
            status["availableReplicas"] = .int(Int64(available))
            let unavailable = max(0, replicas - available)
            if unavailable > 0 { status["unavailableReplicas"] = .int(Int64(unavailable)) } else { status.removeValue(forKey: "unavailableReplicas") }
            status["terminatingReplicas"] = 0
            func condition(_ type: String, _ state: (String, String, String)) -> JSONValue {
                let previous = oldConditions.first { $0["type"]?.stringValue == type }
                let sameStatus = previous?["status"]?.stringValue == state.0
                let sameReason = sameStatus && previous?["reason"]?.stringValue == state.1 && previous?["message"]?.stringValue == state.2
                return [
                    "type": .string(type), "status": .string(state.0),
                    "lastUpdateTime": sameReason ? (previous?["lastUpdateTime"] ?? now) : now,
                    "lastTransitionTime": sameStatus ? (previous?["lastTransitionTime"] ?? now) : now,
                    "reason": .string(state.1), "message": .string(state.2),
                ]
            }
            status["conditions"] = [condition("Available", availableCondition),
                                    condition("Progressing", (progressing.status, progressing.reason, progressing.message))]
            value["status"] = .object(status)
        }
        cluster.recorder.update(kind: "Deployment", namespace: stored.namespace, name: stored.name,
                                inProgress: !complete && !paused)
    }
}
