import KubeModel

/// What the controller recorded on a workload about its last restart. Lives in the cluster
/// (annotations), so it survives controller restarts and leader changes.
public struct RestartState: Hashable, Sendable {
    /// `token-warden.dev/restarted-at`.
    public var restartedAt: Timestamp?
    /// `token-warden.dev/restart-for-deadline`: that deadline is handled; never restart for it again.
    public var restartForDeadline: Timestamp?
    /// `token-warden.dev/restart-completed-at`: when the restart was seen complete (and announced).
    public var completedAt: Timestamp?

    public init(restartedAt: Timestamp? = nil, restartForDeadline: Timestamp? = nil, completedAt: Timestamp? = nil) {
        self.restartedAt = restartedAt
        self.restartForDeadline = restartForDeadline
        self.completedAt = completedAt
    }

    /// The restart of `restartedAt` was recorded as complete (by this process or an earlier one).
    public var completionRecorded: Bool {
        guard let restartedAt, let completedAt else { return false }
        return completedAt >= restartedAt
    }

    /// Reads the state from the workload's annotations, then its pod template's. Malformed values
    /// are reported (they are written by the controller, so that means someone edited them).
    public static func read(
        annotations: [String: String]?, templateAnnotations: [String: String]? = nil, object: ObjectRef
    ) -> (RestartState, [Diagnostic]) {
        var state = RestartState()
        var diagnostics: [Diagnostic] = []
        func value(_ key: String) -> Timestamp? {
            for source in [annotations, templateAnnotations] {
                guard let raw = source?[key] else { continue }
                if let parsed = Timestamp(rfc3339: raw) { return parsed }
                diagnostics.append(Diagnostic(object: object, annotation: key, value: raw, problem: "not an RFC 3339 instant; ignored"))
            }
            return nil
        }
        state.restartedAt = value(PolicyAnnotation.restartedAt)
        state.restartForDeadline = value(PolicyAnnotation.restartForDeadline)
        state.completedAt = value(PolicyAnnotation.restartCompletedAt)
        return (state, diagnostics)
    }

    /// The annotations the controller writes when it restarts for `deadline` at `now`.
    public static func annotations(restartedAt now: Timestamp, forDeadline deadline: Timestamp) -> [String: String] {
        [PolicyAnnotation.restartedAt: now.rfc3339, PolicyAnnotation.restartForDeadline: deadline.rfc3339]
    }
}
