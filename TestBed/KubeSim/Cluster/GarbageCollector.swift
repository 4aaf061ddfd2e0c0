import Foundation
import Logging

/// Cascading deletion (background propagation): when an owner goes, the objects it controls go —
/// a Deployment's ReplicaSets, and the pods of ReplicaSets, ReplicationControllers,
/// StatefulSets, DaemonSets and Jobs.
enum GarbageCollector {
    static func collect(owner: StoredObject, store: ResourceStore, logger: Logger) {
        let dependents: [ResourceType] = owner.type == ResourceCatalog.deployments
            ? [ResourceCatalog.replicaSets] : [ResourceCatalog.pods]
        for type in dependents {
            for candidate in store.objects(type, namespace: owner.namespace) {
                let references = candidate.value.value(at: ["metadata", "ownerReferences"])?.arrayValue ?? []
                guard references.contains(where: { $0["uid"]?.stringValue == owner.uid }) else { continue }
                do {
                    try store.delete(type, namespace: candidate.namespace, name: candidate.name, preconditionUID: candidate.uid)
                } catch {
                    logger.debug("garbage collection skipped", metadata: ["object": "\(candidate.key)", "error": "\(error)"])
                }
            }
        }
    }
}

/// Pods of controllers the simulator does not run (e.g. argoproj.io Rollouts): when one is
/// deleted, a replacement with the same labels, owner and spec is created, as the real operator
/// would — so evicting such a pod behaves like evicting a ReplicaSet's.
enum ForeignOwners {
    static let simulatedKinds: Set<String> = ["ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "Node"]

    static func replace(deleted pod: JSONValue, store: ResourceStore, logger: Logger) {
        guard let owner = PodFacts.controllerReference(pod), let kind = owner["kind"]?.stringValue,
            !simulatedKinds.contains(kind)
        else { return }
        let namespace = pod.value(at: ["metadata", "namespace"])?.stringValue ?? ""
        let name = pod.value(at: ["metadata", "name"])?.stringValue ?? ""
        var metadata = JSONObject()
        metadata["generateName"] = pod.value(at: ["metadata", "generateName"]) ?? .string(name + "-")
        metadata["namespace"] = .string(namespace)
        if let labels = pod.value(at: ["metadata", "labels"]) { metadata["labels"] = labels }
        if let annotations = pod.value(at: ["metadata", "annotations"]) { metadata["annotations"] = annotations }
        metadata["ownerReferences"] = pod.value(at: ["metadata", "ownerReferences"])
        var spec = pod["spec"] ?? [:]
        spec.remove(at: ["nodeName"])
        stripTokenVolume(&spec)
        let replacement: JSONValue = ["kind": "Pod", "apiVersion": "v1", "metadata": .object(metadata), "spec": spec,
                                      "status": ["phase": "Pending", "qosClass": pod.value(at: ["status", "qosClass"]) ?? "BestEffort"]]
        do {
            try store.create(ResourceCatalog.pods, namespace: namespace, object: replacement)
        } catch {
            logger.warning("could not replace a pod of a custom controller", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
        }
    }

    /// Admission adds a fresh kube-api-access volume; the old one (and its mounts) must go.
    private static func stripTokenVolume(_ spec: inout JSONValue) {
        let isToken: (JSONValue) -> Bool = { $0["name"]?.stringValue?.hasPrefix("kube-api-access-") == true }
        if case .array(let volumes)? = spec["volumes"] { spec["volumes"] = .array(volumes.filter { !isToken($0) }) }
        for field in ["initContainers", "containers"] {
            guard case .array(var containers)? = spec[field] else { continue }
            for index in containers.indices {
                if case .array(let mounts)? = containers[index]["volumeMounts"] {
                    containers[index]["volumeMounts"] = .array(mounts.filter { !isToken($0) })
                }
            }
            spec[field] = .array(containers)
        }
    }
}
