/// Makes Pod objects as a running cluster serves them: admission's additions, a node, status
/// from the kubelet (conditions, IPs, container statuses) and managedFields.
struct PodFactory {
    struct Owner {
        var apiVersion: String
        var kind: String
        var name: String
        var uid: String
    }

    enum Phase { case running, pending, succeeded }

    struct Plan {
        var namespace: String
        var name: String
        var generateName: String?
        var uid: String
        var labels: JSONObject
        var owner: Owner?
        var nodeIndex: Int
        var podNumber: Int
        /// Unix seconds: when the pod's containers started (the sampled start time).
        var startedAt: Int64
        var phase: Phase
        var now: Int64
    }

    /// A workload's template prepared once for all its pods.
    struct PreparedTemplate {
        var template: PodTemplateBuilder.Template
        /// The template spec after admission, with a placeholder token volume name and nodeName.
        var admittedSpec: JSONValue
        var specFields: JSONValue
        var images: [(name: String, image: String, imageID: String)]
        var initImages: [(name: String, image: String, imageID: String)]
    }

    static func prepare(_ template: PodTemplateBuilder.Template, random: inout SeededRandom) -> PreparedTemplate {
        func images(_ field: String) -> [(String, String, String)] {
            (template.spec[field]?.arrayValue ?? []).map { container in
                let image = container["image"]?.stringValue ?? ""
                let repository = image.split(separator: ":").first.map(String.init) ?? image
                return (container["name"]?.stringValue ?? "", image, "\(repository)@sha256:\(random.hexString(64))")
            }
        }
        var admitted = template.spec
        admitted["nodeName"] = ""
        ServiceAccountAdmission.admitSpec(&admitted, volumeSuffix: "xxxxx")
        return PreparedTemplate(template: template, admittedSpec: admitted, specFields: ManagedFields.fieldSet(of: template.spec),
                                images: images("containers"), initImages: images("initContainers"))
    }

    static func nodeName(_ index: Int) -> String { "node-\(index + 1)" }
    static func hostIP(_ nodeIndex: Int) -> String { "10.0.0.\(10 + nodeIndex % 240)" }

    static func pod(_ plan: Plan, from prepared: PreparedTemplate, random: inout SeededRandom) -> JSONValue {
        let created = RFC3339.format(unixSeconds: plan.startedAt - Int64(random.int(1...4)))
        let started = RFC3339.format(unixSeconds: plan.startedAt)

        var metadata = JSONObject(minimumCapacity: 10)
        metadata["name"] = .string(plan.name)
        if let generateName = plan.generateName { metadata["generateName"] = .string(generateName) }
        metadata["namespace"] = .string(plan.namespace)
        metadata["uid"] = .string(plan.uid)
        metadata["generation"] = 1
        metadata["creationTimestamp"] = .string(created)
        metadata["labels"] = .object(plan.labels)
        if !prepared.template.annotations.isEmpty { metadata["annotations"] = .object(prepared.template.annotations) }
        var ownerKeyFields: JSONValue = [:]
        if let owner = plan.owner {
            metadata["ownerReferences"] = [[
                "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
            ]]
            var references = JSONObject()
            references["."] = [:]
            references["k:{\"uid\":\"\(owner.uid)\"}"] = [:]
            ownerKeyFields = .object(references)
        }

        var spec = prepared.admittedSpec
        spec["nodeName"] = .string(nodeName(plan.nodeIndex))
        if prepared.template.tokenMode == .projected {
            renameTokenVolume(in: &spec, to: "kube-api-access-" + random.nameSuffix())
        }
        if plan.owner?.kind == "DaemonSet" {
            spec["affinity"] = [
                "nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [[
                    "matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(nodeName(plan.nodeIndex))]]],
                ]]]],
            ]
            spec["tolerations"] = .array(["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"].map {
                ["key": .string("node.kubernetes.io/" + $0), "operator": "Exists", "effect": "NoSchedule"]
            })
            ServiceAccountAdmission.admitSpec(&spec, volumeSuffix: "")  // adds the default tolerations again
        }

        let podIP = "10.244.\(plan.nodeIndex % 250).\(plan.podNumber % 250 + 2)"
        let status = self.status(plan, prepared: prepared, podIP: podIP, started: started, random: &random)

        var metadataFields: JSONObject = [:]
        if plan.generateName != nil { metadataFields["f:generateName"] = [:] }
        metadataFields["f:labels"] = ManagedFields.fieldSet(of: .object(plan.labels), markSelf: true)
        if plan.owner != nil { metadataFields["f:ownerReferences"] = ownerKeyFields }
        let creator = plan.owner == nil ? "kubectl-create" : "kube-controller-manager"
        metadata["managedFields"] = [
            ManagedFields.entry(manager: creator, time: created,
                                fields: ["f:metadata": .object(metadataFields), "f:spec": prepared.specFields]),
            ManagedFields.entry(manager: "kubelet", time: started, fields: statusFields(podIP: podIP), subresource: "status"),
        ]

        return [
            "kind": "Pod", "apiVersion": "v1", "metadata": .object(metadata), "spec": spec, "status": status,
        ]
    }

    /// Each pod has its own `kube-api-access-<random>` volume: the last volume and the last
    /// mount of every container, as admission appended them.
    private static func renameTokenVolume(in spec: inout JSONValue, to name: String) {
        spec.modifyObject { object in
            object.modify("volumes") { volumes in
                volumes.modifyArray { list in
                    if !list.isEmpty { list[list.count - 1]["name"] = .string(name) }
                }
            }
            for field in ["initContainers", "containers"] where object[field] != nil {
                object.modify(field) { containers in
                    containers.modifyArray { list in
                        for index in list.indices {
                            list[index].modifyObject { container in
                                container.modify("volumeMounts") { mounts in
                                    mounts.modifyArray { mountList in
                                        if !mountList.isEmpty { mountList[mountList.count - 1]["name"] = .string(name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func statusFields(podIP: String) -> JSONValue {
        var conditions = JSONObject()
        conditions["."] = [:]
        for type in ["ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"] {
            conditions["k:{\"type\":\"\(type)\"}"] = [
                ".": [:], "f:lastProbeTime": [:], "f:lastTransitionTime": [:], "f:status": [:], "f:type": [:],
            ]
        }
        var ips = JSONObject()
        ips["."] = [:]
        ips["k:{\"ip\":\"\(podIP)\"}"] = [".": [:], "f:ip": [:]]
        return ["f:status": [
            "f:conditions": .object(conditions), "f:containerStatuses": [:], "f:hostIP": [:],
            "f:hostIPs": [:], "f:phase": [:], "f:podIP": [:],
            "f:podIPs": .object(ips),
            "f:startTime": [:],
        ]]
    }

    private static func status(_ plan: Plan, prepared: PreparedTemplate, podIP: String, started: String,
                               random: inout SeededRandom) -> JSONValue {
        let running = plan.phase == .running
        let ready = running ? "True" : "False"
        func condition(_ type: String, _ status: String, reason: String? = nil) -> JSONValue {
            var condition: JSONValue = ["type": .string(type), "status": .string(status), "lastProbeTime": nil,
                                        "lastTransitionTime": .string(started)]
            if let reason { condition["reason"] = .string(reason) }
            return condition
        }
        let notReadyReason = plan.phase == .succeeded ? "PodCompleted" : "ContainersNotReady"
        var status = JSONObject(minimumCapacity: 12)
        status["phase"] = .string(plan.phase == .running ? "Running" : plan.phase == .pending ? "Pending" : "Succeeded")
        status["conditions"] = [
            condition("PodReadyToStartContainers", plan.phase == .succeeded ? "False" : "True"),
            condition("Initialized", "True", reason: plan.phase == .succeeded ? "PodCompleted" : nil),
            condition("Ready", ready, reason: running ? nil : notReadyReason),
            condition("ContainersReady", ready, reason: running ? nil : notReadyReason),
            condition("PodScheduled", "True"),
        ]
        status["hostIP"] = .string(hostIP(plan.nodeIndex))
        status["hostIPs"] = [["ip": .string(hostIP(plan.nodeIndex))]]
        status["podIP"] = .string(podIP)
        status["podIPs"] = [["ip": .string(podIP)]]
        status["startTime"] = .string(started)
        if !prepared.initImages.isEmpty {
            status["initContainerStatuses"] = .array(prepared.initImages.map { item in
                [
                    "name": .string(item.name),
                    "state": ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": .string(started),
                                             "finishedAt": .string(started), "containerID": .string("containerd://" + random.hexString(64))]],
                    "lastState": [:], "ready": true, "restartCount": 0, "image": .string(item.image),
                    "imageID": .string(item.imageID), "containerID": .string("containerd://" + random.hexString(64)), "started": false,
                ]
            })
        }
        // About one pod in twenty has had a container restart since the pod started.
        let restarted = running && random.chance(0.05) ? random.int(0...(prepared.images.count - 1)) : -1
        var statuses: [JSONValue] = []
        for (index, item) in prepared.images.enumerated() {
            var containerStarted = RFC3339.format(unixSeconds: plan.startedAt + Int64(index > 0 ? random.int(0...2) : 0))
            let containerID = JSONValue.string("containerd://" + random.hexString(64))
            var lastState: JSONValue = [:]
            var restartCount: Int64 = 0
            if index == restarted && plan.now > plan.startedAt + 120 {
                let restartAt = Int64(random.int(Int(plan.startedAt + 60)...Int(plan.now - 30)))
                containerStarted = RFC3339.format(unixSeconds: restartAt)
                restartCount = Int64(random.int(1...4))
                lastState = ["terminated": [
                    "exitCode": 137, "reason": "OOMKilled", "startedAt": .string(started),
                    "finishedAt": .string(RFC3339.format(unixSeconds: restartAt - 1)),
                    "containerID": .string("containerd://" + random.hexString(64)),
                ]]
            }
            let state: JSONValue
            switch plan.phase {
            case .running: state = ["running": ["startedAt": .string(containerStarted)]]
            case .pending: state = ["waiting": ["reason": "ContainerCreating"]]
            case .succeeded:
                state = ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": .string(containerStarted),
                                        "finishedAt": .string(RFC3339.format(unixSeconds: plan.startedAt + 30)),
                                        "containerID": containerID]]
            }
            var entry = JSONObject(minimumCapacity: 10)
            entry["name"] = .string(item.name)
            entry["state"] = state
            entry["lastState"] = lastState
            entry["ready"] = .bool(running)
            entry["restartCount"] = .int(restartCount)
            entry["image"] = .string(item.image)
            entry["imageID"] = .string(item.imageID)
            if plan.phase != .pending { entry["containerID"] = containerID }
            entry["started"] = .bool(running)
            statuses.append(.object(entry))
        }
        status["containerStatuses"] = .array(statuses)
        status["qosClass"] = "Burstable"
        return .object(status)
    }
}
