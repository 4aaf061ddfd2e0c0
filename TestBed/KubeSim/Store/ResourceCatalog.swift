/// The resource types the simulated API server serves.
public enum ResourceCatalog {
    public static let namespaces = ResourceType(
        group: "", version: "v1", resource: "namespaces", kind: "Namespace", singular: "namespace", namespaced: false,
        shortNames: ["ns"], subresources: ["status"])
    public static let pods = ResourceType(
        group: "", version: "v1", resource: "pods", kind: "Pod", singular: "pod", namespaced: true,
        shortNames: ["po"], categories: ["all"], subresources: ["status", "eviction"], tracksGeneration: true)
    public static let replicationControllers = ResourceType(
        group: "", version: "v1", resource: "replicationcontrollers", kind: "ReplicationController",
        singular: "replicationcontroller", namespaced: true, shortNames: ["rc"], categories: ["all"],
        subresources: ["status", "scale"], tracksGeneration: true)
    public static let events = ResourceType(
        group: "", version: "v1", resource: "events", kind: "Event", singular: "event", namespaced: true,
        shortNames: ["ev"])
    public static let deployments = ResourceType(
        group: "apps", version: "v1", resource: "deployments", kind: "Deployment", singular: "deployment",
        namespaced: true, shortNames: ["deploy"], categories: ["all"], subresources: ["status", "scale"],
        tracksGeneration: true)
    public static let replicaSets = ResourceType(
        group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", singular: "replicaset",
        namespaced: true, shortNames: ["rs"], categories: ["all"], subresources: ["status", "scale"],
        tracksGeneration: true)
    public static let statefulSets = ResourceType(
        group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", singular: "statefulset",
        namespaced: true, shortNames: ["sts"], categories: ["all"], subresources: ["status", "scale"],
        tracksGeneration: true)
    public static let daemonSets = ResourceType(
        group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", singular: "daemonset",
        namespaced: true, shortNames: ["ds"], categories: ["all"], subresources: ["status"], tracksGeneration: true)
    public static let jobs = ResourceType(
        group: "batch", version: "v1", resource: "jobs", kind: "Job", singular: "job", namespaced: true,
        categories: ["all"], subresources: ["status"], tracksGeneration: true)
    /// Argo Rollouts' CRD (served like the API server serves an installed CRD).
    public static let argoRollouts = ResourceType(
        group: "argoproj.io", version: "v1alpha1", resource: "rollouts", kind: "Rollout", singular: "rollout", namespaced: true,
        shortNames: ["ro"], subresources: ["status", "scale"], tracksGeneration: true)
    public static let podDisruptionBudgets = ResourceType(
        group: "policy", version: "v1", resource: "poddisruptionbudgets", kind: "PodDisruptionBudget",
        singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], subresources: ["status"],
        tracksGeneration: true)
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", singular: "lease",
        namespaced: true)
    public static let eventsV1 = ResourceType(
        group: "events.k8s.io", version: "v1", resource: "events", kind: "Event", singular: "event", namespaced: true,
        shortNames: ["ev"])

    /// What every API server serves.
    public static let builtIn: [ResourceType] = [
        namespaces, pods, replicationControllers, events, deployments, replicaSets, statefulSets, daemonSets, jobs,
        podDisruptionBudgets, leases, eventsV1,
    ]
    /// Custom resources a server serves only when its CRD is installed (`KubeSim.Options.crds`).
    public static let crds: [ResourceType] = [argoRollouts]
    /// Every type the store can hold.
    public static let all: [ResourceType] = builtIn + crds

    /// The type served at /api(s)/group/version/resource.
    public static func find(group: String, version: String, resource: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.resource == resource }
    }

    /// The type of an object by its apiVersion and kind (for loading manifests).
    public static func find(apiVersion: String, kind: String) -> ResourceType? {
        if kind == "Event" {
            return apiVersion == "events.k8s.io/v1" ? eventsV1 : events
        }
        return all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// The API group versions served, in discovery order.
    public static var groupVersions: [(group: String, version: String)] { groupVersions(of: all) }

    /// The API group versions of `types`, in their order.
    public static func groupVersions(of types: [ResourceType]) -> [(group: String, version: String)] {
        var seen: [String] = []
        var result: [(String, String)] = []
        for type in types where !type.group.isEmpty && !seen.contains(type.apiVersion) {
            seen.append(type.apiVersion)
            result.append((type.group, type.version))
        }
        return result
    }
}
