import Act
import Assess
import KubeModel
import Plan

/// The production `WorkloadActions`: Act's executor and event recorder.
public struct ClusterWorkloadActions: WorkloadActions {
    public let executor: RestartExecutor
    public let events: EventRecorder

    public init(executor: RestartExecutor, events: EventRecorder) {
        self.executor = executor
        self.events = events
    }

    @discardableResult
    public func emit(_ event: WardenEvent) async -> EventEmission {
        await events.emit(event)
    }

    public func startRollout(_ decision: Decision, now: Timestamp, afterFailedAttempt: Bool) async throws {
        try await executor.startRollout(decision, now: now, afterFailedAttempt: afterFailedAttempt)
    }

    public func evictNext(_ decision: Decision, workloadPods: [Pod], now: Timestamp, timeoutSeconds: Int64) async throws -> EvictionStep {
        try await executor.evictNext(decision, workloadPods: workloadPods, now: now, timeout: timeoutSeconds)
    }

    public func recreate(_ decision: Decision, pod: Pod, now: Timestamp) async throws -> RecreationStep {
        try await executor.recreateStep(decision, pod: ObjectRef(pod), now: now)
    }

    public func runningRecreations() -> [Decision] {
        executor.runningRecreations()
    }

    public func stopEviction(_ decision: Decision) async throws {
        try await executor.stopEviction(decision)
    }

    public func runningEvictions() -> [RunningEviction] {
        executor.runningEvictions()
    }

    public func recordCompletion(of workload: ObjectRef, kind: WorkloadKind, now: Timestamp) async throws -> Bool {
        try await executor.recordCompletion(of: workload, kind: kind, now: now)
    }
}
