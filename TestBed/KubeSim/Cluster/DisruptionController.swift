import Foundation

/// PodDisruptionBudget status (pkg/controller/disruption): for every budget in a namespace,
/// expectedPods, currentHealthy (Ready pods), desiredHealthy, disruptionsAllowed and the
/// DisruptionAllowed condition.
enum DisruptionController {
    struct Assessment {
        var budget: StoredObject
        var value: JSONValue
        var pods: [JSONValue]
        var healthy: Int
        var math: DisruptionBudgetMath.Result
    }

    static func reconcile(namespace: String, cluster: SimulatedCluster) throws(StatusError) {
        for budget in cluster.store.objects(ResourceCatalog.podDisruptionBudgets, namespace: namespace) {
            let assessment = assess(budget, store: cluster.store)
            try writeStatus(assessment, store: cluster.store)
        }
    }

    static func assess(_ budget: StoredObject, store: ResourceStore) -> Assessment {
        let value = budget.value
        let selector = value.value(at: ["spec", "selector"])
        var pods: [JSONValue] = []
        for pod in store.objects(ResourceCatalog.pods, namespace: budget.namespace)
        where PodFacts.matches(selector: selector, labels: pod.labels) {
            pods.append(pod.value)
        }
        pods = pods.filter { !PodFacts.isTerminating($0) }
        let healthy = pods.filter(PodFacts.isReady).count
        let math = DisruptionBudgetMath.compute(spec: value["spec"] ?? [:], matchingPods: pods.count,
                                                ownersScale: ownersScale(of: pods, namespace: budget.namespace, store: store),
                                                currentHealthy: healthy)
        return Assessment(budget: budget, value: value, pods: pods, healthy: healthy, math: math)
    }

    /// getExpectedScale: the replicas of each distinct controller of the pods (a ReplicaSet of a
    /// Deployment counts as the Deployment); pods of unknown controllers count as one each.
    static func ownersScale(of pods: [JSONValue], namespace: String, store: ResourceStore) -> Int {
        var seen = Set<String>()
        var total = 0
        for pod in pods {
            guard let owner = PodFacts.controllerReference(pod), let uid = owner["uid"]?.stringValue else {
                total += 1
                continue
            }
            guard seen.insert(uid).inserted else { continue }
            let name = owner["name"]?.stringValue ?? ""
            switch owner["kind"]?.stringValue {
            case "ReplicaSet":
                guard let set = store.get(ResourceCatalog.replicaSets, namespace: namespace, name: name)?.value else { continue }
                if let deploymentRef = PodFacts.controllerReference(set), deploymentRef["kind"]?.stringValue == "Deployment",
                    let deployment = store.get(ResourceCatalog.deployments, namespace: namespace,
                                               name: deploymentRef["name"]?.stringValue ?? "")?.value
                {
                    if seen.insert(deploymentRef["uid"]?.stringValue ?? "").inserted {
                        total += PodFacts.int(deployment.value(at: ["spec", "replicas"]), default: 1)
                    }
                } else {
                    total += PodFacts.int(set.value(at: ["spec", "replicas"]), default: 1)
                }
            case "ReplicationController":
                total += PodFacts.int(store.get(ResourceCatalog.replicationControllers, namespace: namespace, name: name)?
                    .value.value(at: ["spec", "replicas"]), default: 1)
            case "StatefulSet":
                total += PodFacts.int(store.get(ResourceCatalog.statefulSets, namespace: namespace, name: name)?
                    .value.value(at: ["spec", "replicas"]), default: 1)
            default:
                total += pods.filter { PodFacts.controllerUID($0) == uid }.count
            }
        }
        return total
    }

    static func writeStatus(_ assessment: Assessment, store: ResourceStore, disruptionsAllowed: Int? = nil) throws(StatusError) {
        let budget = assessment.budget
        let allowed = disruptionsAllowed ?? assessment.math.disruptionsAllowed
        try store.modify(ResourceCatalog.podDisruptionBudgets, namespace: budget.namespace, name: budget.name,
                         subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            let wasAllowed = status["conditions"]?.arrayValue?.first?["status"]?.stringValue
            let isAllowed = allowed > 0 ? "True" : "False"
            status["observedGeneration"] = .int(budget.generation)
            status["disruptionsAllowed"] = .int(Int64(allowed))
            status["currentHealthy"] = .int(Int64(assessment.healthy))
            status["desiredHealthy"] = .int(Int64(assessment.math.desiredHealthy))
            status["expectedPods"] = .int(Int64(assessment.math.expectedPods))
            if wasAllowed != isAllowed {
                status["conditions"] = [[
                    "type": "DisruptionAllowed", "status": .string(isAllowed), "observedGeneration": .int(budget.generation),
                    "lastTransitionTime": .string(PodFacts.timestamp(store.now())),
                    "reason": .string(allowed > 0 ? "SufficientPods" : "InsufficientPods"), "message": "",
                ]]
            }
            value["status"] = .object(status)
        }
    }
}
