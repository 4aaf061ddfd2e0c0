import KubeModel

/// Everything the controller knows about one workload kind, in one place: where it lives in the
/// API, its model, how owner references name it, its restart traits, how its rollout is judged,
/// what blocks a template rollout, and the patch that restarts it. The caches, the fetcher, the
/// owner resolver, the policy and Act iterate `WorkloadKindRegistry.all`; adding a kind is adding
/// an entry there (and its model in KubeModel) — in the manner of Stakater Reloader's table of
/// per-kind rolling-upgrade functions.
public struct WorkloadKindSpec: Sendable {
    /// What a workload of this kind does with a controller above it.
    public enum ControllerAbove: Sendable {
        /// Ignored (a StatefulSet's owner, if any, is not followed).
        case ignored
        /// Noted in the owner chain; the workload stays this one (a Job's CronJob).
        case recorded
        /// A registered kind that adopts this one restarts it (a Deployment's or a Rollout's
        /// ReplicaSet); any other controller is a custom owner with this object in its chain.
        case handsOver
    }

    public let kind: WorkloadKind
    public let resource: ResourceDescriptor
    /// The decoded, cached type (decoded with only the fields the controller reads).
    public let model: any KubeObject.Type
    public let traits: WorkloadKind.Traits
    /// Kinds whose objects this one controls between itself and the pods (ReplicaSets).
    public let adopts: Set<WorkloadKind>
    public let controllerAbove: ControllerAbove
    /// Served only where a CRD installs it: the controller asks discovery first, and reads it only
    /// when served and permitted. Until then (or without its objects) its pods are handled as
    /// those of a custom owner: evicted one by one.
    public let discovered: Bool
    /// The patch that starts the kind's own rollout restart; nil for kinds without one.
    public let restart: (@Sendable (_ uid: String?, _ now: Timestamp, _ deadline: Timestamp) -> RestartPatch)?

    let describe: @Sendable (any KubeObject) -> WorkloadFacts?
    let index: @Sendable (ClusterSnapshot) -> (any WorkloadIndex)?
    private let blocker: @Sendable (any KubeObject) -> String?

    public init<Object: KubeObject>(
        _ kind: WorkloadKind, model: Object.Type, traits: WorkloadKind.Traits, adopts: Set<WorkloadKind> = [],
        controllerAbove: ControllerAbove = .ignored, discovered: Bool = false,
        templateAnnotations: @escaping @Sendable (Object) -> [String: String]? = { _ in nil },
        paused: @escaping @Sendable (Object) -> Bool = { _ in false },
        templateBlocker: @escaping @Sendable (Object) -> String? = { _ in nil },
        rollout: @escaping @Sendable (Object) -> RolloutStatus = { _ in .notApplicable },
        restart: (@Sendable (_ uid: String?, _ now: Timestamp, _ deadline: Timestamp) -> RestartPatch)? = nil
    ) {
        self.kind = kind
        self.resource = Object.resource
        self.model = model
        self.traits = traits
        self.adopts = adopts
        self.controllerAbove = controllerAbove
        self.discovered = discovered
        self.restart = restart
        let facts: @Sendable (Object) -> WorkloadFacts = { object in
            WorkloadFacts(
                ref: ObjectRef(object), annotations: object.metadata.annotations ?? [:], templateAnnotations: templateAnnotations(object),
                paused: paused(object), templateBlocker: templateBlocker(object), rollout: rollout(object),
                generation: object.metadata.generation, controller: object.metadata.controllerOwner)
        }
        describe = { object in (object as? Object).map(facts) }
        index = { snapshot in snapshot.listed(Object.self).map { TypedWorkloadIndex($0, describe: facts) } }
        blocker = { object in (object as? Object).flatMap(templateBlocker) }
    }

    /// Whether an owner reference names this kind (by API group and kind, any version).
    public func matches(_ ref: OwnerReference) -> Bool { matches(apiVersion: ref.apiVersion, kind: ref.kind) }

    /// Any version of the kind's API group: owner references name the version they were written with.
    public func matches(apiVersion: String, kind: String) -> Bool {
        kind == resource.kind && Self.group(of: apiVersion) == resource.group
    }

    /// Why a rollout restart of `object` (of this kind's model) cannot proceed; nil: it can.
    public func templateBlocker(_ object: any KubeObject) -> String? { blocker(object) }

    static func group(of apiVersion: String) -> String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}
