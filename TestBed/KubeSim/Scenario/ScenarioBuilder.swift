/// Builds a small, named population with chosen container ages — for the demo and for tests that
/// need exact deadlines. Objects are shaped like the API server's (golden files): Deployments own
/// ReplicaSets named by the template hash, pods carry the admitted `kube-api-access-*` volume and
/// Running/Ready status with `startedAt`, so the simulated controllers adopt them as settled state.
public struct ScenarioBuilder: Sendable {
    /// Unix seconds the ages are measured back from.
    public let now: Int64
    public internal(set) var objects: [JSONValue] = []
    private var serial = 0

    public init(now: Int64) {
        self.now = now
    }

    public mutating func namespace(_ name: String, annotations: [String: String] = [:]) {
        var metadata: JSONValue = ["name": .string(name), "uid": .string(uid("ns", name)), "creationTimestamp": .string(time(ageDays: 400))]
        if !annotations.isEmpty { metadata["annotations"] = Self.object(annotations) }
        metadata["labels"] = ["kubernetes.io/metadata.name": .string(name)]
        objects.append(["kind": "Namespace", "apiVersion": "v1", "metadata": metadata, "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]])
    }

    /// A settled Deployment with one ReplicaSet and `replicas` pods whose containers started `ageDays` ago.
    public mutating func deployment(_ namespace: String, _ name: String, replicas: Int = 2, ageDays: Double,
                                    annotations: [String: String] = [:], paused: Bool = false) {
        let template = podTemplate(app: name)
        let hash = TemplateHash.hash(template)
        let deploymentUID = uid("deploy", "\(namespace)/\(name)")
        var spec: JSONValue = [
            "replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]], "template": template,
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]],
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
        ]
        if paused { spec["paused"] = true }
        objects.append([
            "kind": "Deployment", "apiVersion": "apps/v1",
            "metadata": metadata(namespace, name, deploymentUID, labels: ["app": name], annotations: annotations.merging(["deployment.kubernetes.io/revision": "1"]) { a, _ in a }),
            "spec": spec,
            "status": ["observedGeneration": 1, "replicas": .int(Int64(replicas)), "updatedReplicas": .int(Int64(replicas)),
                       "readyReplicas": .int(Int64(replicas)), "availableReplicas": .int(Int64(replicas)),
                       "conditions": [
                           condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                           condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(name)-\(hash)\" has successfully progressed."),
                       ]],
        ])
        let rsName = "\(name)-\(hash)"
        let rsUID = uid("rs", "\(namespace)/\(rsName)")
        var rsTemplate = template
        rsTemplate.set(.string(hash), at: ["metadata", "labels", "pod-template-hash"])
        objects.append([
            "kind": "ReplicaSet", "apiVersion": "apps/v1",
            "metadata": metadata(namespace, rsName, rsUID, labels: ["app": name, "pod-template-hash": hash],
                                 annotations: ["deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": String(replicas)],
                                 owner: ("apps/v1", "Deployment", name, deploymentUID)),
            "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name), "pod-template-hash": .string(hash)]], "template": rsTemplate],
            "status": ["replicas": .int(Int64(replicas)), "fullyLabeledReplicas": .int(Int64(replicas)), "readyReplicas": .int(Int64(replicas)),
                       "availableReplicas": .int(Int64(replicas)), "observedGeneration": 1],
        ])
        for i in 0..<replicas {
            pod(namespace, "\(rsName)-\(suffix(i))", ageDays: ageDays, labels: ["app": name, "pod-template-hash": hash],
                owner: ("apps/v1", "ReplicaSet", rsName, rsUID))
        }
    }

    /// A settled StatefulSet with pods `name-0…`; `onDelete` sets the OnDelete update strategy
    /// (a template change then rolls nothing: token-warden evicts instead).
    public mutating func statefulSet(_ namespace: String, _ name: String, replicas: Int = 2, ageDays: Double,
                                     onDelete: Bool = false, annotations: [String: String] = [:]) {
        let template = podTemplate(app: name)
        let revision = "\(name)-\(TemplateHash.hash(template))"
        let setUID = uid("sts", "\(namespace)/\(name)")
        let strategy: JSONValue = onDelete ? ["type": "OnDelete"] : ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]]
        let count = JSONValue.int(Int64(replicas))
        objects.append([
            "kind": "StatefulSet", "apiVersion": "apps/v1",
            "metadata": metadata(namespace, name, setUID, labels: ["app": name], annotations: annotations),
            "spec": ["replicas": count, "selector": ["matchLabels": ["app": .string(name)]], "template": template,
                     "serviceName": .string(name), "podManagementPolicy": "OrderedReady", "updateStrategy": strategy,
                     "revisionHistoryLimit": 10],
            "status": ["observedGeneration": 1, "replicas": count, "readyReplicas": count, "currentReplicas": count,
                       "updatedReplicas": count, "availableReplicas": count, "currentRevision": .string(revision),
                       "updateRevision": .string(revision), "collisionCount": 0],
        ])
        for i in 0..<replicas {
            pod(namespace, "\(name)-\(i)", ageDays: ageDays,
                labels: ["app": name, "controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": "\(name)-\(i)",
                         "apps.kubernetes.io/pod-index": String(i)],
                owner: ("apps/v1", "StatefulSet", name, setUID))
        }
    }

    /// A settled ReplicationController and its pods (no rollout: token-warden evicts pod by pod).
    public mutating func replicationController(_ namespace: String, _ name: String, replicas: Int = 3, ageDays: Double,
                                               annotations: [String: String] = [:]) {
        let rcUID = uid("rc", "\(namespace)/\(name)")
        objects.append([
            "kind": "ReplicationController", "apiVersion": "v1",
            "metadata": metadata(namespace, name, rcUID, labels: ["app": name], annotations: annotations),
            "spec": ["replicas": .int(Int64(replicas)), "selector": ["app": .string(name)], "template": podTemplate(app: name)],
            "status": ["replicas": .int(Int64(replicas)), "fullyLabeledReplicas": .int(Int64(replicas)), "readyReplicas": .int(Int64(replicas)),
                       "availableReplicas": .int(Int64(replicas)), "observedGeneration": 1],
        ])
        for i in 0..<replicas {
            pod(namespace, "\(name)-\(suffix(i))", ageDays: ageDays, labels: ["app": name], owner: ("v1", "ReplicationController", name, rcUID))
        }
    }

    /// Pods owned directly by a controller the simulator does not run (an OpenKruise CloneSet):
    /// an evicted pod is replaced under a new name, as the operator would (`ForeignOwners`).
    public mutating func customOwnedPods(_ namespace: String, _ name: String, apiVersion: String, kind: String, replicas: Int = 2, ageDays: Double) {
        let ownerUID = uid(kind, "\(namespace)/\(name)")
        for i in 0..<replicas {
            pod(namespace, "\(name)-\(suffix(i))", ageDays: ageDays, labels: ["app": name], owner: (apiVersion, kind, name, ownerUID))
        }
    }

    /// An Argo Rollout: a ReplicaSet the Rollout controls (the simulator's ReplicaSet controller
    /// replaces evicted pods under new names) and its pods. The Rollout itself is stored only with
    /// `stored` (then `ArgoRolloutController` runs it); without, it is out of the controller's sight.
    public mutating func argoRollout(_ namespace: String, _ name: String, replicas: Int = 2, ageDays: Double,
                                     stored: Bool = false, annotations: [String: String] = [:]) {
        let start = objects.count
        deployment(namespace, name, replicas: replicas, ageDays: ageDays)
        let rolloutUID = uid("Rollout", "\(namespace)/\(name)")
        let owner: JSONValue = [["apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": .string(name),
                                 "uid": .string(rolloutUID), "controller": true, "blockOwnerDeletion": true]]
        var kept: [JSONValue] = []
        for var object in objects[start...] {
            switch object["kind"]?.stringValue {
            case "Deployment":
                guard stored else { continue }
                let spec = object["spec"]
                let count = JSONValue.int(Int64(replicas))
                kept.append([
                    "kind": "Rollout", "apiVersion": "argoproj.io/v1alpha1",
                    "metadata": metadata(namespace, name, rolloutUID, labels: ["app": name], annotations: annotations),
                    "spec": ["replicas": count, "selector": spec?["selector"] ?? [:], "template": spec?["template"] ?? [:],
                             "strategy": ["canary": ["maxSurge": "25%", "maxUnavailable": 0]]],
                    "status": ["replicas": count, "updatedReplicas": count, "readyReplicas": count, "availableReplicas": count,
                               "currentPodHash": .string(TemplateHash.hash(podTemplate(app: name))),
                               "stableRS": .string(TemplateHash.hash(podTemplate(app: name))), "phase": "Healthy", "observedGeneration": "1"],
                ])
                continue
            case "ReplicaSet":
                object.set(owner, at: ["metadata", "ownerReferences"])
                if stored, let hash = object.value(at: ["metadata", "labels", "pod-template-hash"]) {
                    object.set(hash, at: ["metadata", "labels", "rollouts-pod-template-hash"])
                }
            default: break
            }
            kept.append(object)
        }
        objects.replaceSubrange(start..., with: kept)
    }

    /// A PodDisruptionBudget selecting `app=<app>`.
    public mutating func podDisruptionBudget(_ namespace: String, _ name: String, app: String, minAvailable: Int, currentHealthy: Int) {
        let allowed = max(0, currentHealthy - minAvailable)
        objects.append([
            "kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
            "metadata": metadata(namespace, name, uid("pdb", "\(namespace)/\(name)")),
            "spec": ["minAvailable": .int(Int64(minAvailable)), "selector": ["matchLabels": ["app": .string(app)]]],
            "status": ["observedGeneration": 1, "disruptionsAllowed": .int(Int64(allowed)), "currentHealthy": .int(Int64(currentHealthy)),
                       "desiredHealthy": .int(Int64(minAvailable)), "expectedPods": .int(Int64(currentHealthy))],
        ])
    }

    /// A pod nobody owns.
    public mutating func barePod(_ namespace: String, _ name: String, ageDays: Double, annotations: [String: String] = [:]) {
        pod(namespace, name, ageDays: ageDays, labels: ["app": name], annotations: annotations)
    }

    /// One Running pod with the API token mounted, its container started `ageDays` ago.
    public mutating func pod(_ namespace: String, _ name: String, ageDays: Double, labels: [String: String],
                             annotations: [String: String] = [:], owner: (String, String, String, String)? = nil,
                             tokenLifetimeSeconds: Int64 = ServiceAccountAdmission.tokenExpirationSeconds) {
        var spec = podTemplate(app: labels["app"] ?? name)["spec"] ?? [:]
        let volume = "kube-api-access-\(suffix(serial))"
        var projected = ServiceAccountAdmission.projectedVolume(named: volume)
        if tokenLifetimeSeconds != ServiceAccountAdmission.tokenExpirationSeconds,
           var sources = projected.value(at: ["projected", "sources"])?.arrayValue, !sources.isEmpty {
            sources[0].set(.int(tokenLifetimeSeconds), at: ["serviceAccountToken", "expirationSeconds"])
            projected.set(.array(sources), at: ["projected", "sources"])
        }
        spec["volumes"] = [projected]
        if var containers = spec["containers"]?.arrayValue, !containers.isEmpty {
            containers[0]["volumeMounts"] = [ServiceAccountAdmission.tokenMount(volumeName: volume)]
            spec["containers"] = .array(containers)
        }
        spec["serviceAccountName"] = "default"
        spec["nodeName"] = .string("node-\(serial % 3 + 1)")
        let started = time(ageDays: ageDays)
        let ready: JSONValue = ["type": "Ready", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(started)]
        objects.append([
            "kind": "Pod", "apiVersion": "v1",
            "metadata": metadata(namespace, name, uid("pod", "\(namespace)/\(name)"), labels: labels, annotations: annotations, owner: owner,
                                 created: time(ageDays: ageDays, plusSeconds: -5)),
            "spec": spec,
            "status": [
                "phase": "Running", "conditions": [ready], "hostIP": "10.0.0.10", "podIP": .string("10.244.0.\(serial % 250 + 2)"),
                "startTime": .string(time(ageDays: ageDays, plusSeconds: -3)), "qosClass": "BestEffort",
                "containerStatuses": [[
                    "name": "app", "state": ["running": ["startedAt": .string(started)]], "ready": true, "restartCount": 0,
                    "image": "registry.example/app:1.0", "imageID": "", "containerID": .string("containerd://\(serial)"), "started": true,
                ]],
            ],
        ])
        serial += 1
    }

    // MARK: Pieces (also used by ScenarioBuilder+Kinds)

    func podTemplate(app: String) -> JSONValue {
        [
            "metadata": ["labels": ["app": .string(app)]],
            "spec": [
                "containers": [["name": "app", "image": "registry.example/app:1.0", "resources": [:],
                                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"]],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": [:], "schedulerName": "default-scheduler",
            ],
        ]
    }

    func metadata(_ namespace: String, _ name: String, _ uid: String, labels: [String: String] = [:],
                          annotations: [String: String] = [:], owner: (String, String, String, String)? = nil,
                          created: String? = nil) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace), "uid": .string(uid), "generation": 1,
                                   "creationTimestamp": .string(created ?? time(ageDays: 400))]
        if !labels.isEmpty { metadata["labels"] = Self.object(labels) }
        if !annotations.isEmpty { metadata["annotations"] = Self.object(annotations) }
        if let (apiVersion, kind, ownerName, ownerUID) = owner {
            metadata["ownerReferences"] = [["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(ownerName),
                                            "uid": .string(ownerUID), "controller": true, "blockOwnerDeletion": true]]
        }
        return metadata
    }

    private func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
        let at = time(ageDays: 400)
        return ["type": .string(type), "status": .string(status), "lastUpdateTime": .string(at), "lastTransitionTime": .string(at),
                "reason": .string(reason), "message": .string(message)]
    }

    func time(ageDays: Double, plusSeconds: Int64 = 0) -> String {
        RFC3339.format(unixSeconds: now - Int64(ageDays * 86_400) + plusSeconds)
    }

    /// Stable, readable uids: the same scenario always has the same uids.
    func uid(_ kind: String, _ key: String) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(kind)/\(key)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        let a = padded.prefix(8), b = padded.dropFirst(8).prefix(4), c = padded.dropFirst(12).prefix(4)
        return "\(a)-\(b)-\(c)-8000-\(padded.prefix(12))"
    }

    func suffix(_ i: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var n = i &* 2_654_435_761 &+ 12_345
        var out = ""
        for _ in 0..<5 {
            out.append(alphabet[abs(n) % alphabet.count])
            n /= alphabet.count
            n &+= 7
        }
        return out
    }

    private static func object(_ values: [String: String]) -> JSONValue {
        var object = JSONObject()
        for key in values.keys.sorted() { object[key] = .string(values[key]!) }
        return .object(object)
    }
}
