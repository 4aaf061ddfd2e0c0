/// How a reflector fills its store at start and after a 410.
public enum InitialSync: String, Sendable, CaseIterable {
    /// A streaming watch (`sendInitialEvents=true`, WatchList): the state arrives as ADDED events
    /// and ends with a bookmark annotated `k8s.io/initial-events-end`; the API server sends
    /// objects from its watch cache one by one instead of building list pages. Falls back to
    /// `list` for a resource whose server does not support it.
    case stream
    /// A paged LIST (`limit` + `continue`), then a watch from the list's resourceVersion.
    case list
}
