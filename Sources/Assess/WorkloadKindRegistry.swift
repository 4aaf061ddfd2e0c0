import KubeModel

/// The workload kinds the controller reads and restarts: one entry each.
public enum WorkloadKindRegistry {
    public static let all: [WorkloadKindSpec] = [deployment, statefulSet, daemonSet, argoRollout, replicaSet, replicationController, job]

    private static let byKind: [WorkloadKind: WorkloadKindSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })

    public static func spec(for kind: WorkloadKind) -> WorkloadKindSpec? { byKind[kind] }

    /// The entry an owner reference names, if any.
    public static func spec(matching ref: OwnerReference) -> WorkloadKindSpec? { all.first { $0.matches(ref) } }

    /// The registered kind an owner reference's `apiVersion` and `kind` name, if any.
    public static func spec(apiVersion: String, kind: String) -> WorkloadKindSpec? {
        all.first { $0.matches(apiVersion: apiVersion, kind: kind) }
    }

    static let templateKind = WorkloadKind.Traits(defaultStrategy: .rollout, allowedStrategies: [.rollout, .evict])
    static let evictOnly = WorkloadKind.Traits(defaultStrategy: .evict, allowedStrategies: [.evict])

    public static let deployment = WorkloadKindSpec(
        .deployment, model: Deployment.self, traits: templateKind, adopts: [.replicaSet],
        templateAnnotations: { $0.spec.template?.metadata?.annotations }, paused: { $0.spec.paused ?? false },
        templateBlocker: { $0.spec.paused == true ? "the Deployment is paused (kubectl rollout restart refuses paused Deployments)" : nil },
        rollout: RolloutStatus.of, restart: RestartPatch.podTemplate)

    public static let statefulSet = WorkloadKindSpec(
        .statefulSet, model: StatefulSet.self, traits: templateKind,
        templateAnnotations: { $0.spec.template?.metadata?.annotations },
        templateBlocker: { onDelete($0.spec.updateStrategy, kind: "StatefulSet") }, rollout: RolloutStatus.of, restart: RestartPatch.podTemplate)

    public static let daemonSet = WorkloadKindSpec(
        .daemonSet, model: DaemonSet.self, traits: templateKind,
        templateAnnotations: { $0.spec.template?.metadata?.annotations },
        templateBlocker: { onDelete($0.spec.updateStrategy, kind: "DaemonSet") }, rollout: RolloutStatus.of, restart: RestartPatch.podTemplate)

    /// Argo Rollouts: restarted by Argo itself (`spec.restartAt`), never by a template change,
    /// which would start a canary or blue-green update.
    public static let argoRollout = WorkloadKindSpec(
        .argoRollout, model: ArgoRollout.self, traits: templateKind, adopts: [.replicaSet], discovered: true,
        templateAnnotations: { $0.spec.template?.metadata?.annotations }, paused: { $0.spec.paused ?? false },
        // Conservative: a restart is not relied on while a person holds the Rollout.
        templateBlocker: { $0.spec.paused == true ? "the Rollout is paused (spec.paused): its restart is not left to Argo while it is held" : nil },
        rollout: RolloutStatus.of, restart: RestartPatch.restartAt)

    /// A ReplicaSet without a registered controller above it.
    public static let replicaSet = WorkloadKindSpec(
        .replicaSet, model: ReplicaSet.self, traits: evictOnly, controllerAbove: .handsOver,
        rollout: { RolloutStatus.of(spec: $0.spec, status: $0.status) })

    public static let replicationController = WorkloadKindSpec(
        .replicationController, model: ReplicationController.self, traits: evictOnly,
        rollout: { RolloutStatus.of(spec: $0.spec, status: $0.status) })

    /// Evicting a Job's pod costs its work; only when the Job itself opts in.
    public static let job = WorkloadKindSpec(
        .job, model: Job.self, traits: WorkloadKind.Traits(defaultStrategy: .warnOnly, allowedStrategies: [.evict]),
        controllerAbove: .recorded)

    private static func onDelete(_ strategy: UpdateStrategy?, kind: String) -> String? {
        strategy?.type == "OnDelete"
            ? "the \(kind) uses updateStrategy OnDelete: a template change replaces no pod until they are deleted"
            : nil
    }
}
