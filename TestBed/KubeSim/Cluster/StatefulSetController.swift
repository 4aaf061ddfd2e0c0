import Foundation

/// StatefulSets (pkg/controller/statefulset): pods `<name>-<ordinal>` created in ordinal order,
/// each once the previous is Ready (OrderedReady); surplus ordinals removed highest first.
/// RollingUpdate replaces the highest-ordinal pod not at the update revision, one at a time,
/// once all pods are Running and Ready (honouring `partition`); OnDelete never deletes — a pod
/// deleted by someone else comes back at the update revision. Status: replicas, readyReplicas,
/// currentReplicas, updatedReplicas, currentRevision, updateRevision, observedGeneration.
enum StatefulSetController {
    static let revisionLabel = "controller-revision-hash"

    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.statefulSets, namespace: namespace, name: name), !stored.deletionPending else { return }
        let set = stored.value
        let replicas = PodFacts.int(set.value(at: ["spec", "replicas"]), default: 1)
        let template = set.value(at: ["spec", "template"])
        let settled = PodFacts.int(set.value(at: ["status", "observedGeneration"]), default: 0) == Int(stored.generation)
        let updateRevision = cluster.revisions.revision(
            uid: stored.uid, template: template,
            seededRevision: settled ? set.value(at: ["status", "updateRevision"])?.stringValue : nil, prefix: name)
        let strategy = set.value(at: ["spec", "updateStrategy", "type"])?.stringValue ?? "RollingUpdate"
        let partition = PodFacts.int(set.value(at: ["spec", "updateStrategy", "rollingUpdate", "partition"]), default: 0)
        let parallel = set.value(at: ["spec", "podManagementPolicy"])?.stringValue == "Parallel"

        var pods: [Int: JSONValue] = [:]
        for pod in ReplicaSetController.ownedPods(of: stored, object: set, store: store) {
            let podName = pod.value(at: ["metadata", "name"])?.stringValue ?? ""
            if let ordinal = Int(podName.dropFirst(name.count + 1)), podName.hasPrefix(name + "-") { pods[ordinal] = pod }
        }
        func revision(_ pod: JSONValue) -> String? { pod.value(at: ["metadata", "labels", revisionLabel])?.stringValue }

        var acted = false
        // Create missing ordinals in order.
        for ordinal in 0..<replicas where pods[ordinal] == nil {
            let previousReady = (0..<ordinal).allSatisfy { pods[$0].map(PodFacts.isReady) ?? false }
            guard parallel || previousReady else { break }
            let pod = PodFacts.newPod(
                template: template, namespace: namespace, name: "\(name)-\(ordinal)",
                owner: ("apps/v1", "StatefulSet", name, stored.uid),
                extraLabels: [("apps.kubernetes.io/pod-index", String(ordinal)), (revisionLabel, updateRevision),
                              ("statefulset.kubernetes.io/pod-name", "\(name)-\(ordinal)")])
            var withIdentity = pod
            withIdentity.set(.string("\(name)-\(ordinal)"), at: ["spec", "hostname"])
            if let service = set.value(at: ["spec", "serviceName"])?.stringValue, !service.isEmpty {
                withIdentity.set(.string(service), at: ["spec", "subdomain"])
            }
            do {
                try store.create(ResourceCatalog.pods, namespace: namespace, object: withIdentity)
            } catch where error.code == 409 {
                break  // the old pod of this ordinal is still going away
            }
            acted = true
            if !parallel { break }
        }
        // Remove ordinals beyond replicas, highest first.
        if !acted, let highest = pods.keys.filter({ $0 >= replicas }).max(), let pod = pods[highest], !PodFacts.isTerminating(pod) {
            try deletePod(pod, namespace: namespace, store: store)
            acted = true
        }
        // RollingUpdate: one pod at a time, highest ordinal first, when everything is Ready.
        let allReady = (0..<replicas).allSatisfy { pods[$0].map(PodFacts.isReady) ?? false }
        if !acted && strategy == "RollingUpdate" && allReady {
            if let ordinal = (partition..<max(partition, replicas)).reversed().first(where: { revision(pods[$0]!) != updateRevision }) {
                try deletePod(pods[ordinal]!, namespace: namespace, store: store)
            }
        }

        let live = (0..<replicas).compactMap { pods[$0] }.filter { !PodFacts.isTerminating($0) }
        let ready = live.filter(PodFacts.isReady).count
        let updated = live.filter { revision($0) == updateRevision }.count
        let previousCurrent = set.value(at: ["status", "currentRevision"])?.stringValue ?? updateRevision
        let complete = updated == replicas && ready == replicas && live.count == replicas
        let currentRevision = complete ? updateRevision : previousCurrent
        let current = live.filter { revision($0) == currentRevision }.count
        try store.modify(ResourceCatalog.statefulSets, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            status["observedGeneration"] = .int(stored.generation)
            status["replicas"] = .int(Int64(live.count))
            status["readyReplicas"] = .int(Int64(ready))
            status["currentReplicas"] = .int(Int64(current))
            status["updatedReplicas"] = .int(Int64(updated))
            status["currentRevision"] = .string(currentRevision)
            status["updateRevision"] = .string(updateRevision)
            if status["collisionCount"] == nil { status["collisionCount"] = 0 }
            status["availableReplicas"] = .int(Int64(ready))
            value["status"] = .object(status)
        }
        cluster.recorder.update(kind: "StatefulSet", namespace: namespace, name: name,
                                inProgress: strategy == "RollingUpdate" ? !complete : ready < replicas)
    }

    static func deletePod(_ pod: JSONValue, namespace: String, store: ResourceStore) throws(StatusError) {
        let name = pod.value(at: ["metadata", "name"])?.stringValue ?? ""
        let uid = pod.value(at: ["metadata", "uid"])?.stringValue
        do {
            try store.delete(ResourceCatalog.pods, namespace: namespace, name: name, preconditionUID: uid)
        } catch where error.code == 404 || error.code == 409 {
            return
        }
    }
}
