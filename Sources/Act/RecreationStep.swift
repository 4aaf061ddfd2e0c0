import Assess

/// The outcome of one `RestartExecutor.recreateStep` call.
public enum RecreationStep: Equatable, Sendable {
    /// The old pod was deleted and is still going: call again.
    case deleting
    /// The pod was created again (its new uid).
    case created(ObjectRef)
    /// Report mode: nothing was written; this pod would have been recreated.
    case dryRun(ObjectRef)
}
