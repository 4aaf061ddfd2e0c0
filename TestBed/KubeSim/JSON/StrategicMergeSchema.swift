/// Which lists a strategic merge patch merges, by field name. Upstream takes this from the Go
/// struct tags (`patchStrategy:"merge" patchMergeKey:"name"`); the simulator keys it by field
/// name, which is unambiguous for the resources it serves.
public struct StrategicMergeSchema: Sendable {
    /// Field name → the key identifying list elements (`containers` → `name`).
    public var mergeKeys: [String: String]
    /// Lists of scalars merged as sets (`metadata.finalizers`).
    public var mergedScalarLists: Set<String>

    public init(mergeKeys: [String: String], mergedScalarLists: Set<String>) {
        self.mergeKeys = mergeKeys
        self.mergedScalarLists = mergedScalarLists
    }

    /// The merge keys of core/v1, apps/v1, batch/v1 and policy/v1 objects (k8s.io/api types).
    public static let kubernetes = StrategicMergeSchema(
        mergeKeys: [
            "containers": "name",
            "initContainers": "name",
            "ephemeralContainers": "name",
            "volumes": "name",
            "env": "name",
            "ports": "containerPort",
            "volumeMounts": "mountPath",
            "volumeDevices": "devicePath",
            "conditions": "type",
            "ownerReferences": "uid",
            "imagePullSecrets": "name",
            "hostAliases": "ip",
            "topologySpreadConstraints": "topologyKey",
            "resourceClaims": "name",
            "schedulingGates": "name",
            "podIPs": "ip",
            "hostIPs": "ip",
        ],
        mergedScalarLists: ["finalizers"]
    )
}
