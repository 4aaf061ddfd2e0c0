import KubeModel

/// One decoded line of a watch stream.
public enum WatchEvent<Object: KubeObject>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// Progress without a change: the new resourceVersion, and whether this bookmark ends the
    /// initial events of a `sendInitialEvents=true` watch (`k8s.io/initial-events-end`).
    case bookmark(resourceVersion: String, initialEventsEnd: Bool)
    /// The server ended the watch with a Status (410 Expired for a too-old resourceVersion).
    case error(APIStatus)

    /// The resourceVersion the watch has reached after this event, if it carries one.
    public var resourceVersion: String? {
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): return o.metadata.resourceVersion
        case .bookmark(let rv, _): return rv
        case .error: return nil
        }
    }
}
