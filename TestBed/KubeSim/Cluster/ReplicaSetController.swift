import Foundation

/// ReplicaSets and ReplicationControllers (pkg/controller/replicaset): keep `spec.replicas` active
/// pods that the object controls; create missing ones from the template, delete surplus ones
/// (not-ready and newest first); report replicas / fullyLabeledReplicas / readyReplicas /
/// availableReplicas / observedGeneration.
enum ReplicaSetController {
    enum Flavor {
        case replicaSet, replicationController

        var type: ResourceType {
            self == .replicaSet ? ResourceCatalog.replicaSets : ResourceCatalog.replicationControllers
        }
        var apiVersion: String { self == .replicaSet ? "apps/v1" : "v1" }
        var kind: String { self == .replicaSet ? "ReplicaSet" : "ReplicationController" }
    }

    static func reconcile(_ flavor: Flavor, namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) {
        let store = cluster.store
        guard let stored = store.get(flavor.type, namespace: namespace, name: name), !stored.deletionPending else { return }
        let object = stored.value
        let replicas = PodFacts.int(object.value(at: ["spec", "replicas"]), default: 1)
        let pods = ownedPods(of: stored, object: object, plainSelector: flavor == .replicationController, store: store)
        let active = pods.filter { PodFacts.isActive($0) }
        if active.count < replicas {
            for _ in active.count..<replicas {
                let pod = PodFacts.newPod(
                    template: object.value(at: ["spec", "template"]), namespace: namespace, generateName: name + "-",
                    owner: (flavor.apiVersion, flavor.kind, name, stored.uid))
                try store.create(ResourceCatalog.pods, namespace: namespace, object: pod)
            }
        } else if active.count > replicas {
            // Delete not-ready pods first, then the most recently created (upstream's ranking, simplified).
            let doomed = active.sorted { lhs, rhs in
                let (lr, rr) = (PodFacts.isReady(lhs), PodFacts.isReady(rhs))
                if lr != rr { return !lr }
                return (lhs.value(at: ["metadata", "creationTimestamp"])?.stringValue ?? "")
                    > (rhs.value(at: ["metadata", "creationTimestamp"])?.stringValue ?? "")
            }.prefix(active.count - replicas)
            for pod in doomed {
                let podName = pod.value(at: ["metadata", "name"])?.stringValue ?? ""
                do {
                    try store.delete(ResourceCatalog.pods, namespace: namespace, name: podName)
                } catch where error.code == 404 {
                    continue
                }
            }
        }
        let ready = active.filter { PodFacts.isReady($0) }.count
        try store.modify(flavor.type, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            status["replicas"] = .int(Int64(active.count))
            status["fullyLabeledReplicas"] = .int(Int64(active.count))
            status["readyReplicas"] = .int(Int64(ready))
            status["availableReplicas"] = .int(Int64(ready))
            if flavor == .replicaSet { status["terminatingReplicas"] = .int(Int64(pods.filter(PodFacts.isTerminating).count)) }
            status["observedGeneration"] = .int(stored.generation)
            value["status"] = .object(status)
        }
        if PodFacts.controllerReference(object) == nil {
            cluster.recorder.update(kind: flavor.kind, namespace: namespace, name: name,
                                    inProgress: ready < replicas || active.count != replicas)
        }
    }

    /// Pods in the namespace that the selector matches and whose controller is this object.
    static func ownedPods(of owner: StoredObject, object: JSONValue, plainSelector: Bool = false,
                          store: ResourceStore) -> [JSONValue] {
        let selector = object.value(at: ["spec", "selector"])
        var result: [JSONValue] = []
        for pod in store.objects(ResourceCatalog.pods, namespace: owner.namespace)
        where PodFacts.matches(selector: selector, labels: pod.labels, plainMap: plainSelector) {
            let value = pod.value
            if PodFacts.controllerUID(value) == owner.uid { result.append(value) }
        }
        return result
    }
}
