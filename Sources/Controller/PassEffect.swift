import Act
import Assess
import KubeModel
import Logging
import Observe
import Plan

/// One thing a reconcile pass does, as data: decided by `PassEffects` (pure) from the plan and
/// the outcomes of the pass's steps, performed in order by `Reconciler.perform`.
enum PassEffect: Equatable, Sendable {
    // Events and log lines
    /// An Event (not once the lease is in doubt).
    case event(WardenEvent)
    /// `then` the first time `key` comes up, `otherwise` after that. A paced key also waits its
    /// turn in the announcement budget (held back, it comes up again in a later pass); an
    /// unpaced one is for what happened in this pass's own steps, told at once.
    indirect case once(String, paced: Bool, then: [PassEffect], otherwise: [PassEffect] = [])
    /// The effects after it in its list happen only while this replica may write.
    case stopUnlessWritable
    /// A log line (with the workload's metadata when it is about one).
    case log(Logger.Level, String, Logger.Metadata = [:])

    // Metrics
    case countRestart(kind: String, ActionResult)
    case countEviction(kind: String, ActionResult)
    case countDeferral(DeferralCause)

    // Bookkeeping
    /// Run again no later than this (a refused step's retry, a recreation's next step).
    case retryAt(Timestamp)
    /// A restart this process started, unless one is already known for the workload.
    case rememberStarted(WorkloadID, StartedRestart)
    /// The restart's slot is free at once.
    case forgetStarted(WorkloadID)
    /// A write succeeded: the workload's run of failures ends.
    case clearFailures(WorkloadID)
    /// A write failed: remembered (the workload backs off), then `then` with the memory's answer.
    /// `reason` is the server's Status reason, when it gave one (shown by `report` from the Lease).
    case recordFailure(WorkloadID, FailureMemory.Failure, cause: String, reason: String? = nil, generation: Int64?, then: FailureFollowUp)

    // Writes
    /// `restart-completed-at` on the workload (not fatal when it fails: logged).
    case recordCompletion(ObjectRef, WorkloadID)
}

/// What follows a failure once `FailureMemory` has said until when the workload waits.
enum FailureFollowUp: Equatable, Sendable {
    /// Nothing more (the wait is the planner's backoff).
    case none
    /// Run again when the wait ends, or at `notAfter` if that is sooner.
    case retry(notAfter: Timestamp?)
    /// As `retry`, and a log line that the sequence is tried again after the wait.
    case retryNoticed
    /// A failed write: the effects of `PassEffects.failed` (metric, log line, RestartFailed).
    case announce(Decision)
}
