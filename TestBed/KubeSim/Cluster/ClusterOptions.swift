import Foundation

/// How the simulated controllers and kubelet behave.
public struct ClusterOptions: Sendable {
    /// How long a new pod stays Pending before the kubelet reports it Running and Ready
    /// (0: at once, for fast tests).
    public var readyDelay: TimeInterval = 0.2
    /// The simulated nodes (DaemonSets run one pod on each; pods without a node are put on one).
    public var nodes: [String] = ["node-1", "node-2", "node-3"]
    /// Reconcile every workload once at start (seeded state). Off for very large generated
    /// clusters, where the seeded state is consistent and only changed objects need work.
    public var initialSync = true
    /// In the initial sync, leave workloads whose status reports them complete for their current
    /// generation (cheap start for big generated clusters, whose seeded state is consistent).
    /// Off by default: a real controller manager looks at everything once.
    public var initialSyncSkipsSettled = false
    /// Recreate pods of controllers the simulator does not run (custom kinds such as an Argo
    /// Rollout) when they are deleted or evicted, as their operator would.
    public var replaceForeignOwnedPods = true

    public init() {}
}
