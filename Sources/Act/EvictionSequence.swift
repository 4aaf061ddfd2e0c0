import Assess
import KubeModel
import Plan

/// An eviction sequence this process is driving.
struct EvictionSequence: Sendable {
    /// Pods that started before this are replaced.
    var restartedAt: Timestamp
    var evicted: Int = 0
    var lastEvictedUID: String?
    /// The last eviction (or the start): the evict timeout counts from here.
    var lastProgress: Timestamp
    /// The latest decision about the workload: the sequence is driven with it until it ends,
    /// also once the planner no longer hands the workload over (its pods are fresh again).
    var decision: Decision
    /// The controllers of the workload's pods when the sequence began (the owner's uid, or its
    /// ReplicaSet's): only their pods count, whatever their names, so an owner deleted and created
    /// again under the same name is not taken for this one.
    var ownerUIDs: Set<String>
    /// The last time a pod of the workload was seen: a sequence with none for long ends.
    var lastSeenPods: Timestamp
    /// The last eviction was refused: its retries are logged at debug.
    var blocked = false

    /// How long a workload may have no pods before its sequence ends (a replacement is created
    /// within seconds of an eviction; longer means deleted or scaled to zero). The evict timeout
    /// when that is shorter.
    static let noPodsGraceSeconds: Int64 = 30

    /// The pods of `pods` this sequence is about (see `ownerUIDs`).
    func own(_ pods: [Pod]) -> [Pod] {
        guard !ownerUIDs.isEmpty else { return pods }
        return pods.filter { pod in pod.metadata.controllerOwner.map { ownerUIDs.contains($0.uid) } ?? false }
    }

    /// When the evict timeout ends the sequence unless it makes progress first.
    func givesUpAt(timeout: Int64) -> Timestamp { lastProgress + timeout + 1 }
}
