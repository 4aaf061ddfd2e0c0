/// One simulated workload and its pods, as the twin's "cluster" holds them (virtual seconds).
struct TwinWorkload {
    enum Kind: CaseIterable {
        case deployment, statefulSet, daemonSet, replicationController, barePod

        /// Kinds token-warden can restart on its own; bare pods are reported only.
        var protectable: Bool { self != .barePod }
    }

    struct Pod {
        var serial: Int
        /// When the pod object was created (scheduling and image pulls come before the start).
        var created: Int64
        var start: Int64
        /// When the kubelet requested the token this process holds: after the pod was created
        /// (a projected token is bound to its pod), before the container started.
        var tokenIssued: Int64
        var readyAt: Int64
    }

    let index: Int
    let kind: Kind
    let namespace: String
    let name: String
    let replicas: Int
    /// The maintenance-window annotation (nil: always open).
    let window: String?
    /// Reads its token once: holds it until the process ends.
    let oldClient: Bool
    /// How often its owners redeploy it (nil: never).
    let redeployEvery: Int64?
    var pods: [Pod] = []
    var nextSerial = 0
    /// The controller's state annotations.
    var restartedAt: Int64?
    var restartForDeadline: Int64?
    /// Our rollout runs until then (the status says progressing).
    var rolloutEnds: Int64?
    var generation: Int64 = 1
    /// Snapshot objects must be rebuilt.
    var changed = true
    var restartsByWarden = 0
}
