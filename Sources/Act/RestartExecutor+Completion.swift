import APIClient
import Assess
import KubeModel

extension RestartExecutor {
    /// Records on the workload that its restart finished (`restart-completed-at`, merge patch
    /// with the uid as precondition), next to `restarted-at` / `restart-for-deadline`: a new
    /// process or leader neither announces the completion nor counts it again. False when the
    /// kind has no patchable object (custom owners, whose state lives on pods that are gone by
    /// now) or in report mode.
    @discardableResult
    public func recordCompletion(of workload: ObjectRef, kind: WorkloadKind, now: Timestamp) async throws -> Bool {
        guard !dryRun, let resource = KindRestartSupport.of(kind).resource else { return false }
        let body = try JSONBody.encode(StatePatch(uid: workload.uid, annotations: [PolicyAnnotation.restartCompletedAt: now.rfc3339]))
        try await client.patch(resource, namespace: workload.namespace, name: workload.name, type: .merge, body: body)
        return true
    }
}
