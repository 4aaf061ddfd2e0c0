import Assess
import KubeModel
import Plan

/// What the executor did (or, in report mode, would have done), told as it happens so that the
/// controller can say so; the executor writes no Event itself (the controller's `PassEffects`
/// chooses them).
public enum RestartReport: Hashable, Sendable {
    /// The rollout patch landed; `patch` says what it set (kubectl's `restartedAt` on the template,
    /// or the kind's own field, such as a Rollout's `spec.restartAt`).
    case rolloutStarted(Decision, patch: String)
    /// Report mode: the rollout patch that was not sent.
    case wouldRollout(Decision)
    /// A new eviction sequence recorded its restart state; `oldPods` are to be replaced.
    case evictionStarted(Decision, oldPods: Int)
    /// Report mode: the eviction sequence that was not started.
    case wouldEvict(Decision, oldPods: Int)
    /// The API server refused an eviction (a PodDisruptionBudget): its Status in words.
    case evictionRefused(Decision, pod: String, status: String)
    /// No progress for `timeoutSeconds`: the sequence gave up (restart state removed).
    case evictionGaveUp(Decision, why: String, timeoutSeconds: Int64)
    /// The sequence ended without completing: nothing left to replace.
    case evictionAbandoned(Decision, restartedAt: Timestamp, why: String)
    /// The bare pod is being deleted, to be created again from its own spec.
    case recreationStarted(Decision, pod: ObjectRef)
    /// Report mode: the bare pod that was not recreated.
    case wouldRecreate(Decision, pod: ObjectRef)
}
