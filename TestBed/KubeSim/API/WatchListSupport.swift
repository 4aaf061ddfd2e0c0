/// How the server answers a streaming initial sync (`watch=1&sendInitialEvents=true&
/// resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`).
public enum WatchListSupport: String, Sendable, CaseIterable {
    /// As kube-apiserver ≥ 1.34 (WatchList on by default): the state as ADDED events, then a
    /// BOOKMARK annotated `k8s.io/initial-events-end`, then the changes.
    case enabled
    /// As a server with the WatchList feature gate off: 422 Invalid naming `sendInitialEvents`.
    case rejected
    /// As a server that predates the parameters: they are ignored and the request is a plain watch
    /// (from "" or "0": the current state as ADDED events, with no end bookmark).
    case ignored
}
