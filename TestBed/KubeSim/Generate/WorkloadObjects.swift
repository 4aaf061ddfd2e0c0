/// The workload objects of a generated cluster, shaped like the golden objects (defaults filled
/// in as the API server does, status as the controllers leave it when everything is settled).
enum WorkloadObjects {
    struct Common {
        var namespace: String
        var name: String
        var uid: String
        var created: String
        var labels: JSONObject
        var annotations: JSONObject = [:]
        var owner: PodFactory.Owner?
    }

    static func metadata(_ common: Common, generation: Int64 = 1) -> JSONValue {
        var metadata = JSONObject(minimumCapacity: 8)
        metadata["name"] = .string(common.name)
        metadata["namespace"] = .string(common.namespace)
        metadata["uid"] = .string(common.uid)
        metadata["generation"] = .int(generation)
        metadata["creationTimestamp"] = .string(common.created)
        if !common.labels.isEmpty { metadata["labels"] = .object(common.labels) }
        if !common.annotations.isEmpty { metadata["annotations"] = .object(common.annotations) }
        if let owner = common.owner {
            metadata["ownerReferences"] = [[
                "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
            ]]
        }
        return .object(metadata)
    }

    static func template(labels: JSONObject, annotations: JSONObject, spec: JSONValue) -> JSONValue {
        var metadata: JSONValue = ["labels": .object(labels)]
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        return ["metadata": metadata, "spec": spec]
    }

    static func condition(_ type: String, _ status: String, reason: String, message: String, time: String,
                          updateTime: Bool = true) -> JSONValue {
        var condition: JSONValue = ["type": .string(type), "status": .string(status)]
        if updateTime { condition["lastUpdateTime"] = .string(time) }
        condition["lastTransitionTime"] = .string(time)
        condition["reason"] = .string(reason)
        condition["message"] = .string(message)
        return condition
    }

    static func deployment(_ common: Common, replicas: Int, selector: JSONObject, template: JSONValue, paused: Bool,
                           replicaSetName: String, ready: Int, time: String, revisionHistoryLimit: Int) -> JSONValue {
        var spec: JSONValue = [
            "replicas": .int(Int64(replicas)), "selector": ["matchLabels": .object(selector)], "template": template,
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]],
            "revisionHistoryLimit": .int(Int64(revisionHistoryLimit)), "progressDeadlineSeconds": 600,
        ]
        if paused { spec["paused"] = true }
        let available = ready >= replicas - DisruptionBudgetMath.scaledDown("25%", of: replicas)
        return [
            "kind": "Deployment", "apiVersion": "apps/v1", "metadata": metadata(common), "spec": spec,
            "status": [
                "observedGeneration": 1, "replicas": .int(Int64(replicas)), "updatedReplicas": .int(Int64(replicas)),
                "readyReplicas": .int(Int64(ready)), "availableReplicas": .int(Int64(ready)), "terminatingReplicas": 0,
                "conditions": [
                    condition("Available", available ? "True" : "False",
                              reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                              message: available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                              time: time),
                    condition("Progressing", "True", reason: "NewReplicaSetAvailable",
                              message: "ReplicaSet \"\(replicaSetName)\" has successfully progressed.", time: time),
                ],
            ],
        ]
    }

    static func replicaSet(_ common: Common, replicas: Int, selector: JSONObject, template: JSONValue, ready: Int) -> JSONValue {
        [
            "kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": metadata(common),
            "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": .object(selector)], "template": template],
            "status": [
                "replicas": .int(Int64(replicas)), "fullyLabeledReplicas": .int(Int64(replicas)),
                "readyReplicas": .int(Int64(ready)), "availableReplicas": .int(Int64(ready)), "terminatingReplicas": 0,
                "observedGeneration": 1,
            ],
        ]
    }

    static func replicationController(_ common: Common, replicas: Int, selector: JSONObject, template: JSONValue, ready: Int) -> JSONValue {
        [
            "kind": "ReplicationController", "apiVersion": "v1", "metadata": metadata(common),
            "spec": ["replicas": .int(Int64(replicas)), "selector": .object(selector), "template": template],
            "status": [
                "replicas": .int(Int64(replicas)), "fullyLabeledReplicas": .int(Int64(replicas)),
                "readyReplicas": .int(Int64(ready)), "availableReplicas": .int(Int64(ready)), "observedGeneration": 1,
            ],
        ]
    }

    static func statefulSet(_ common: Common, replicas: Int, selector: JSONObject, template: JSONValue, onDelete: Bool,
                            revision: String, ready: Int) -> JSONValue {
        let strategy: JSONValue = onDelete ? ["type": "OnDelete"] : ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]]
        return [
            "kind": "StatefulSet", "apiVersion": "apps/v1", "metadata": metadata(common),
            "spec": [
                "replicas": .int(Int64(replicas)), "selector": ["matchLabels": .object(selector)], "template": template,
                "serviceName": .string(common.name), "podManagementPolicy": "OrderedReady", "updateStrategy": strategy,
                "revisionHistoryLimit": 10,
                "persistentVolumeClaimRetentionPolicy": ["whenDeleted": "Retain", "whenScaled": "Retain"],
            ],
            "status": [
                "observedGeneration": 1, "replicas": .int(Int64(replicas)), "readyReplicas": .int(Int64(ready)),
                "currentReplicas": .int(Int64(replicas)), "updatedReplicas": .int(Int64(replicas)),
                "currentRevision": .string(revision), "updateRevision": .string(revision), "collisionCount": 0,
                "availableReplicas": .int(Int64(ready)),
            ],
        ]
    }

    static func daemonSet(_ common: Common, nodes: Int, selector: JSONObject, template: JSONValue, onDelete: Bool, ready: Int) -> JSONValue {
        let strategy: JSONValue = onDelete
            ? ["type": "OnDelete"] : ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]]
        let count = JSONValue.int(Int64(nodes))
        return [
            "kind": "DaemonSet", "apiVersion": "apps/v1", "metadata": metadata(common),
            "spec": ["selector": ["matchLabels": .object(selector)], "template": template, "updateStrategy": strategy,
                     "revisionHistoryLimit": 10],
            "status": [
                "currentNumberScheduled": count, "numberMisscheduled": 0, "desiredNumberScheduled": count,
                "numberReady": .int(Int64(ready)), "observedGeneration": 1, "updatedNumberScheduled": count,
                "numberAvailable": .int(Int64(ready)),
            ],
        ]
    }

    static func job(_ common: Common, selectorUID: String, template: JSONValue, completed: Bool, start: String, end: String) -> JSONValue {
        var status: JSONValue = ["startTime": .string(start)]
        if completed {
            status["completionTime"] = .string(end)
            status["succeeded"] = 1
            status["conditions"] = [
                condition("SuccessCriteriaMet", "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", time: end, updateTime: false),
                condition("Complete", "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", time: end, updateTime: false),
            ]
        } else {
            status["active"] = 1
        }
        status["ready"] = completed ? 0 : 1
        status["terminating"] = 0
        status["uncountedTerminatedPods"] = [:]
        return [
            "kind": "Job", "apiVersion": "batch/v1", "metadata": metadata(common),
            "spec": [
                "parallelism": 1, "completions": 1, "backoffLimit": 6,
                "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(selectorUID)]],
                "manualSelector": false, "template": template, "completionMode": "NonIndexed", "suspend": false,
                "podReplacementPolicy": "TerminatingOrFailed",
            ],
            "status": status,
        ]
    }

    static func podDisruptionBudget(_ common: Common, selector: JSONObject, rule: (String, JSONValue),
                                    pods: Int, scale: Int, healthy: Int) -> JSONValue {
        var spec = JSONObject()
        spec[rule.0] = rule.1
        spec["selector"] = ["matchLabels": .object(selector)]
        let math = DisruptionBudgetMath.compute(spec: .object(spec), matchingPods: pods, ownersScale: scale, currentHealthy: healthy)
        let allowed = math.disruptionsAllowed > 0
        return [
            "kind": "PodDisruptionBudget", "apiVersion": "policy/v1", "metadata": metadata(common), "spec": .object(spec),
            "status": [
                "observedGeneration": 1, "disruptionsAllowed": .int(Int64(math.disruptionsAllowed)),
                "currentHealthy": .int(Int64(healthy)), "desiredHealthy": .int(Int64(math.desiredHealthy)),
                "expectedPods": .int(Int64(math.expectedPods)),
                "conditions": [[
                    "type": "DisruptionAllowed", "status": .string(allowed ? "True" : "False"), "observedGeneration": 1,
                    "lastTransitionTime": .string(common.created),
                    "reason": .string(allowed ? "SufficientPods" : "InsufficientPods"), "message": "",
                ]],
            ],
        ]
    }
}
