/// The ReplicaSet a Deployment or an Argo Rollout creates for its current template: the owner's
/// template and selector, each with `hashLabel: hash` added, named `owner-hash` and owned by it.
struct ReplicaSetMaker {
    var owner: StoredObject
    /// The owner's `apiVersion` and `kind`, for the ReplicaSet's owner reference.
    var ownerAPIVersion: String
    var ownerKind: String
    var hashLabel: String

    /// The manifest for `template` (the owner's `spec.template`) hashed to `hash`.
    func manifest(template ownerTemplate: JSONValue, selector ownerSelector: JSONValue, hash: String,
                  replicas: Int, annotations: JSONValue? = nil) -> JSONValue {
        var template = ownerTemplate
        template.set(.string(hash), at: ["metadata", "labels", hashLabel])
        var selector = ownerSelector
        selector.set(.string(hash), at: ["matchLabels", hashLabel])
        var labels = template.value(at: ["metadata", "labels"]) ?? [:]
        labels[hashLabel] = .string(hash)
        var metadata: JSONValue = ["name": .string("\(owner.name)-\(hash)"), "namespace": .string(owner.namespace), "labels": labels]
        if let annotations { metadata["annotations"] = annotations }
        metadata["ownerReferences"] = [[
            "apiVersion": .string(ownerAPIVersion), "kind": .string(ownerKind), "name": .string(owner.name), "uid": .string(owner.uid),
            "controller": true, "blockOwnerDeletion": true,
        ]]
        return [
            "kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": metadata,
            "spec": ["replicas": .int(Int64(replicas)), "selector": selector, "template": template],
            "status": ["replicas": 0],
        ]
    }
}
