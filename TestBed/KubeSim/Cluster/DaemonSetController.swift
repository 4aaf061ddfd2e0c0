import Foundation

/// DaemonSets (pkg/controller/daemon): one pod per simulated node; RollingUpdate replaces pods not
/// at the current revision while at most `maxUnavailable` (default 1, percent rounded up) nodes
/// lack an available pod; OnDelete leaves them. Status: desiredNumberScheduled,
/// currentNumberScheduled, numberReady, numberAvailable, numberUnavailable,
/// updatedNumberScheduled, numberMisscheduled, observedGeneration.
enum DaemonSetController {
    static let revisionLabel = "controller-revision-hash"

    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.daemonSets, namespace: namespace, name: name), !stored.deletionPending else { return }
        let set = stored.value
        let template = set.value(at: ["spec", "template"])
        let pods = ReplicaSetController.ownedPods(of: stored, object: set, store: store)
        let settled = PodFacts.int(set.value(at: ["status", "observedGeneration"]), default: 0) == Int(stored.generation)
        let seeded = settled ? pods.compactMap { $0.value(at: ["metadata", "labels", revisionLabel])?.stringValue }.first : nil
        let revision = cluster.revisions.revision(uid: stored.uid, template: template, seededRevision: seeded, prefix: "")
        let generation = String(stored.generation)

        var nodes = cluster.options.nodes
        for pod in pods {
            if let node = pod.value(at: ["spec", "nodeName"])?.stringValue, !node.isEmpty, !nodes.contains(node) { nodes.append(node) }
        }
        var byNode: [String: [JSONValue]] = [:]
        for pod in pods where !PodFacts.isTerminating(pod) {
            byNode[pod.value(at: ["spec", "nodeName"])?.stringValue ?? "", default: []].append(pod)
        }
        func isCurrent(_ pod: JSONValue) -> Bool { pod.value(at: ["metadata", "labels", revisionLabel])?.stringValue == revision }

        // Missing nodes first: a node whose old pod is still terminating waits for it.
        let terminatingNodes = Set(pods.filter(PodFacts.isTerminating).compactMap { $0.value(at: ["spec", "nodeName"])?.stringValue })
        for node in nodes where byNode[node] == nil && !terminatingNodes.contains(node) {
            var pod = PodFacts.newPod(template: template, namespace: namespace, generateName: name + "-",
                                      owner: ("apps/v1", "DaemonSet", name, stored.uid),
                                      extraLabels: [(revisionLabel, revision), ("pod-template-generation", generation)], nodeName: node)
            pod.set(["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [[
                "matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]],
            ]]]]], at: ["spec", "affinity"])
            try store.create(ResourceCatalog.pods, namespace: namespace, object: pod)
        }
        let strategy = set.value(at: ["spec", "updateStrategy", "type"])?.stringValue ?? "RollingUpdate"
        if strategy == "RollingUpdate" {
            let maxUnavailable = max(1, DisruptionBudgetMath.scaled(
                set.value(at: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]) ?? 1, of: nodes.count))
            var unavailable = nodes.filter { node in !(byNode[node]?.contains(where: PodFacts.isReady) ?? false) }.count
            // Old pods that are not ready cost nothing to replace; then ready ones within the budget.
            let old = nodes.compactMap { byNode[$0] }.flatMap { $0 }.filter { !isCurrent($0) }
                .sorted { !PodFacts.isReady($0) && PodFacts.isReady($1) }
            for pod in old {
                if PodFacts.isReady(pod) {
                    guard unavailable < maxUnavailable else { break }
                    unavailable += 1
                }
                try StatefulSetController.deletePod(pod, namespace: namespace, store: store)
            }
        }

        let scheduled = nodes.filter { byNode[$0] != nil }.count
        let ready = nodes.filter { byNode[$0]?.contains(where: PodFacts.isReady) ?? false }.count
        let updated = nodes.filter { byNode[$0]?.contains(where: isCurrent) ?? false }.count
        try store.modify(ResourceCatalog.daemonSets, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            status["currentNumberScheduled"] = .int(Int64(scheduled))
            status["numberMisscheduled"] = 0
            status["desiredNumberScheduled"] = .int(Int64(nodes.count))
            status["numberReady"] = .int(Int64(ready))
            status["observedGeneration"] = .int(stored.generation)
            status["updatedNumberScheduled"] = .int(Int64(updated))
            status["numberAvailable"] = .int(Int64(ready))
            if nodes.count > ready { status["numberUnavailable"] = .int(Int64(nodes.count - ready)) } else { status.removeValue(forKey: "numberUnavailable") }
            value["status"] = .object(status)
        }
        let complete = updated == nodes.count && ready == nodes.count
        cluster.recorder.update(kind: "DaemonSet", namespace: namespace, name: name,
                                inProgress: strategy == "RollingUpdate" ? !complete : ready < nodes.count)
    }
}
