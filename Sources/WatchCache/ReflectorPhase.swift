/// What a reflector does next: the I/O its run loop performs for this phase.
public enum ReflectorPhase: Equatable, Sendable {
    /// Fill the store with the whole state in one step — at start, and after a 410 — by a
    /// streaming watch (WatchList) or a paged LIST.
    case syncing(InitialSync)
    /// Watch for changes from this resourceVersion.
    case watching(resourceVersion: String)
}
