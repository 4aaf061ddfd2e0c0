import APIClient
import Assess
import KubeModel

/// What the executor can do with each workload kind: the one per-kind table (in the manner of
/// Stakater Reloader's rolling-upgrade callbacks), consulted instead of a switch in every action.
struct WorkloadActions: Sendable {
    /// Where the workload object lives; nil when it cannot be patched (a custom owner: the
    /// controller knows neither its resource name nor has RBAC for it).
    var resource: ResourceDescriptor?
    /// For kinds with a server-side rollout: reads the object returned by the rollout patch and
    /// says why the rollout cannot proceed (nil: it can). nil for kinds without a rollout.
    var rolloutBlocker: (@Sendable (_ object: [UInt8], _ decoder: any ObjectDecoder) throws -> String?)?

    static let table: [WorkloadKind: WorkloadActions] = [
        .deployment: WorkloadActions(resource: .deployments) { bytes, decoder in
            let deployment = try decoder.decode(Deployment.self, from: bytes)
            return deployment.spec.paused == true
                ? "the Deployment is paused (kubectl rollout restart refuses paused Deployments); the template change takes effect when it is resumed"
                : nil
        },
        .statefulSet: WorkloadActions(resource: .statefulSets) { bytes, decoder in
            let set = try decoder.decode(StatefulSet.self, from: bytes)
            return onDelete(set.spec.updateStrategy, kind: "StatefulSet")
        },
        .daemonSet: WorkloadActions(resource: .daemonSets) { bytes, decoder in
            let set = try decoder.decode(DaemonSet.self, from: bytes)
            return onDelete(set.spec.updateStrategy, kind: "DaemonSet")
        },
        .replicationController: WorkloadActions(resource: .replicationControllers, rolloutBlocker: nil),
        .replicaSet: WorkloadActions(resource: .replicaSets, rolloutBlocker: nil),
        .job: WorkloadActions(resource: .jobs, rolloutBlocker: nil),
        .pod: WorkloadActions(resource: .pods, rolloutBlocker: nil),
    ]

    /// Custom owners: pods can be evicted, the owner cannot be patched.
    static let custom = WorkloadActions(resource: nil, rolloutBlocker: nil)

    static func of(_ kind: WorkloadKind) -> WorkloadActions { table[kind] ?? custom }

    private static func onDelete(_ strategy: UpdateStrategy?, kind: String) -> String? {
        strategy?.type == "OnDelete"
            ? "the \(kind) uses updateStrategy OnDelete: a template change replaces no pod until they are deleted"
            : nil
    }
}
