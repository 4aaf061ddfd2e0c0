import APIClient
import Assess

/// The outcome of one `RestartExecutor.evictNext` call: what happened in an eviction sequence.
public enum EvictionStep: Equatable, Sendable {
    /// This pod was evicted; call again once its replacement is Ready.
    case evicted(ObjectRef)
    /// A pod of the workload is not Running+Ready yet (or the last evicted pod is still going):
    /// nothing was evicted; call again later.
    case waitingForReady
    /// The API server refused the eviction (a PodDisruptionBudget, HTTP 429): retry after
    /// `retryAfterSeconds`.
    case blocked(APIStatus, retryAfterSeconds: Int)
    /// No pod started before the sequence's `restartedAt` remains and every pod is Ready.
    case done
    /// No progress for longer than the evict timeout: the sequence is abandoned (reported) and
    /// its restart state removed; the caller backs the workload off before it tries again.
    case timedOut
    /// Nothing left to tell completion by (no pods of the owner for a while): the sequence ended (reported).
    case ended(String)
    /// Report mode: nothing was written; this pod would have been evicted next.
    case dryRun(wouldEvict: ObjectRef?)
}
