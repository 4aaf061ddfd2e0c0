import Act
import Assess
import KubeModel
import Plan

/// What the reconciler asks of the cluster. The production implementation is `ClusterWorkloadActions`
/// (Act's executor and event recorder); tests substitute a recording fake.
public protocol WorkloadActions: Sendable {
    @discardableResult
    func emit(_ event: WardenEvent) async -> EventEmission
    /// Patches the pod template (kubectl's restartedAt) and records the restart state on the workload.
    /// `afterFailedAttempt`: the last attempt for this workload failed, perhaps after the server
    /// applied it; the server is asked first whether this deadline's rollout already started.
    func startRollout(_ decision: Decision, now: Timestamp, afterFailedAttempt: Bool) async throws
    /// One step of a pod-by-pod eviction sequence.
    func evictNext(_ decision: Decision, workloadPods: [Pod], now: Timestamp, timeoutSeconds: Int64) async throws -> EvictionStep
    /// One step of deleting a bare pod and creating it again from its own spec (opt-in
    /// `strategy: recreate`): called again, pass after pass, until `.created`.
    func recreate(_ decision: Decision, pod: Pod, now: Timestamp) async throws -> RecreationStep
    /// The bare pods being recreated (deleted, not yet created again).
    func runningRecreations() -> [Decision]
    /// Stops an eviction sequence whose rollout timeout passed and removes its restart state.
    func stopEviction(_ decision: Decision) async throws
    /// The eviction sequences being driven: each is stepped until it ends, whatever the plan says.
    func runningEvictions() -> [RunningEviction]
    /// Records on the workload that its restart finished (`restart-completed-at`); false when
    /// there is no object to record it on.
    func recordCompletion(of workload: ObjectRef, kind: WorkloadKind, now: Timestamp) async throws -> Bool
}

extension WorkloadActions {
    public func runningEvictions() -> [RunningEviction] { [] }
    public func runningRecreations() -> [Decision] { [] }
    public func stopEviction(_ decision: Decision) async throws {}
    public func recordCompletion(of workload: ObjectRef, kind: WorkloadKind, now: Timestamp) async throws -> Bool { false }
}
