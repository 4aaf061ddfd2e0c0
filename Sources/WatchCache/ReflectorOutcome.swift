/// How one phase's I/O ended, as the transition function needs to know it.
public enum ReflectorOutcome: Sendable {
    /// The sync's state is in the store (a LIST's last page, or the streaming sync's
    /// `k8s.io/initial-events-end` bookmark); watch from this resourceVersion.
    case synced(resourceVersion: String)
    /// The server refused a streaming sync (400, 422), ignored it (a plain watch), or is already
    /// known to: list instead.
    case streamingUnsupported(reason: String)
    /// The server closed the watch normally (its timeout) after `events` events, bookmarks
    /// included; `resourceVersion` is the last one seen.
    case watchEnded(resourceVersion: String, events: Int)
    /// 410 Gone: the resourceVersion is too old (as HTTP 410, or as a watch ERROR event).
    case gone
    /// Anything else: a transport error, a Status (429 with its Retry-After), an event that does
    /// not decode. A watch had reached `resourceVersion` (nil during a sync).
    case failed(resourceVersion: String?, error: any Error)
}
