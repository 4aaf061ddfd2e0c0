import APIClient
import KubeModel

/// What a reflector needs from the API server: the whole state of a collection, and a watch of
/// it. `KubeClient` is the real one; tests script one without a server.
public protocol ListWatcher: Sendable {
    /// Every object of the collection, page by page (`limit` + `continue`), each made into an
    /// `Entry` as its page arrives, and the resourceVersion to watch from. `progress` gets the
    /// objects so far and, when the server says, the total.
    func listAll<Object: KubeObject, Entry>(
        _ type: Object.Type, namespace: String?, labelSelector: String?, fieldSelector: String?,
        pageSize: Int, progress: (@Sendable (Int, Int?) -> Void)?, transform: (Object) -> Entry
    ) async throws -> (items: [Entry], resourceVersion: String)

    /// A watch from `resourceVersion`; with `sendInitialEvents` (and no resourceVersion) the
    /// streaming initial sync: the state as ADDED events, then the `k8s.io/initial-events-end`
    /// bookmark. The stream ends when the server closes the watch; an `ERROR` event ends it too.
    func watch<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, resourceVersion: String?, timeoutSeconds: Int,
        labelSelector: String?, fieldSelector: String?, allowBookmarks: Bool, sendInitialEvents: Bool
    ) async throws -> WatchEventStream<Object>

    /// Where a watch's reader runs best (nil: anywhere): the thread its events arrive on.
    var watchExecutor: (any TaskExecutor)? { get }
}

extension ListWatcher {
    public var watchExecutor: (any TaskExecutor)? { nil }
}

/// The API client lists and watches as the protocol asks, over libcurl; a watch's events are
/// read on libcurl's thread.
extension KubeClient: ListWatcher {
    public var watchExecutor: (any TaskExecutor)? { ioExecutor }
}
