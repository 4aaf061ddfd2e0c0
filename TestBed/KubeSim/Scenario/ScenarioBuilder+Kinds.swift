/// Settled workloads of the kinds the issue scenarios use less often: a DaemonSet on every
/// simulated node, a ReplicaSet without a Deployment, a running Job.
extension ScenarioBuilder {
    /// A settled RollingUpdate DaemonSet with one pod on each of the default nodes (node-1…3).
    public mutating func daemonSet(_ namespace: String, _ name: String, ageDays: Double, annotations: [String: String] = [:]) {
        let template = podTemplate(app: name)
        let revision = TemplateHash.hash(template)
        let setUID = uid("ds", "\(namespace)/\(name)")
        objects.append([
            "kind": "DaemonSet", "apiVersion": "apps/v1",
            "metadata": metadata(namespace, name, setUID, labels: ["app": name], annotations: annotations),
            "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": template,
                     "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1]], "revisionHistoryLimit": 10],
            "status": ["observedGeneration": 1, "desiredNumberScheduled": 3, "currentNumberScheduled": 3, "updatedNumberScheduled": 3,
                       "numberReady": 3, "numberAvailable": 3, "numberMisscheduled": 0],
        ])
        // Consecutive pods land on node-1, node-2, node-3 (see `pod`).
        for i in 0..<3 {
            pod(namespace, "\(name)-\(suffix(i))", ageDays: ageDays,
                labels: ["app": name, "controller-revision-hash": revision, "pod-template-generation": "1"],
                owner: ("apps/v1", "DaemonSet", name, setUID))
        }
    }

    /// A settled ReplicaSet that no Deployment owns, and its pods.
    public mutating func replicaSet(_ namespace: String, _ name: String, replicas: Int = 2, ageDays: Double,
                                    annotations: [String: String] = [:]) {
        let setUID = uid("rs", "\(namespace)/\(name)")
        let count = JSONValue.int(Int64(replicas))
        objects.append([
            "kind": "ReplicaSet", "apiVersion": "apps/v1",
            "metadata": metadata(namespace, name, setUID, labels: ["app": name], annotations: annotations),
            "spec": ["replicas": count, "selector": ["matchLabels": ["app": .string(name)]], "template": podTemplate(app: name)],
            "status": ["replicas": count, "fullyLabeledReplicas": count, "readyReplicas": count, "availableReplicas": count,
                       "observedGeneration": 1],
        ])
        for i in 0..<replicas {
            pod(namespace, "\(name)-\(suffix(i))", ageDays: ageDays, labels: ["app": name], owner: ("apps/v1", "ReplicaSet", name, setUID))
        }
    }

    /// A Job with one running pod (completions 1, parallelism 1): the Job controller replaces an
    /// evicted pod.
    public mutating func job(_ namespace: String, _ name: String, ageDays: Double, annotations: [String: String] = [:]) {
        let jobUID = uid("job", "\(namespace)/\(name)")
        var template = podTemplate(app: name)
        template.set("Never", at: ["spec", "restartPolicy"])
        objects.append([
            "kind": "Job", "apiVersion": "batch/v1",
            "metadata": metadata(namespace, name, jobUID, labels: ["app": name], annotations: annotations),
            "spec": ["completions": 1, "parallelism": 1, "backoffLimit": 6, "template": template],
            "status": ["active": 1, "ready": 1],
        ])
        pod(namespace, "\(name)-\(suffix(0))", ageDays: ageDays, labels: ["app": name, "job-name": name],
            owner: ("batch/v1", "Job", name, jobUID))
    }
}
