import APIClient
import KubeModel
import Logging

/// Keeps an `ObjectStore` equal to the server's state: sync (a streaming watch of the initial
/// state, or a paged list where the server does not support that), then watch from the sync's
/// resourceVersion, forever.
///
/// States: `listing` (the sync, see `Reflector+Sync`) → `watching(rv)`; a watch that ends
/// normally (server timeout) is re-opened from the last resourceVersion; bookmarks advance it;
/// 410 Gone (as HTTP 410 or as a watch ERROR event) → `listing` again and the store is swapped
/// in one step; any other failure → back off (exponential, jittered, reset after a healthy
/// period) and re-watch from where it was.
///
/// `Object` is what the server sends; `Entry` what the store keeps (the object itself, or a
/// compact record made from it page by page and event by event).
public final class Reflector<Object: KubeObject, Entry: CacheEntry>: Sendable {
    public struct Options: Sendable {
        public var namespace: String?
        public var labelSelector: String?
        public var fieldSelector: String?
        public var pageSize: Int
        /// Each watch asks the server for a random timeout in this range (client-go: 5–10 min),
        /// so many watches do not all reconnect at once.
        public var watchTimeoutSeconds: ClosedRange<Int>
        public var backoff: Backoff
        /// The store objects this reflector owns, when several reflectors fill one store.
        public var partition: StorePartition<Entry>?
        /// How the store is filled at start and after a 410.
        public var initialSync: InitialSync
        /// What servers answered to a streaming sync; share one among the reflectors of a client
        /// (nil: this reflector's own).
        public var streamingSupport: StreamingSyncSupport?

        public init(
            namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
            pageSize: Int = 500, watchTimeoutSeconds: ClosedRange<Int> = 300...600, backoff: Backoff = Backoff(),
            partition: StorePartition<Entry>? = nil, initialSync: InitialSync = .stream,
            streamingSupport: StreamingSyncSupport? = nil
        ) {
            self.partition = partition
            self.initialSync = initialSync
            self.streamingSupport = streamingSupport
            self.namespace = namespace
            self.labelSelector = labelSelector
            self.fieldSelector = fieldSelector
            self.pageSize = pageSize
            self.watchTimeoutSeconds = watchTimeoutSeconds
            self.backoff = backoff
        }
    }

    enum Phase: Sendable {
        case listing
        case watching(resourceVersion: String)
    }

    public let store: ObjectStore<Entry>
    let client: KubeClient
    let options: Options
    private let logger: Logger
    let observer: any ReflectorObserver
    let transform: @Sendable (Object) -> Entry
    let streamingSupport: StreamingSyncSupport

    public init(
        client: KubeClient, store: ObjectStore<Entry>, options: Options = Options(),
        logger: Logger = Logger(label: "token-warden.reflector"), observer: any ReflectorObserver = NoReflectorObserver(),
        transform: @escaping @Sendable (Object) -> Entry
    ) {
        self.client = client
        self.store = store
        self.options = options
        self.logger = logger
        self.observer = observer
        self.transform = transform
        self.streamingSupport = options.streamingSupport ?? StreamingSyncSupport()
    }

    /// A reflector whose store keeps the decoded objects themselves.
    public convenience init(
        client: KubeClient, store: ObjectStore<Object>, options: Options = Options(),
        logger: Logger = Logger(label: "token-warden.reflector"), observer: any ReflectorObserver = NoReflectorObserver()
    ) where Entry == Object {
        self.init(client: client, store: store, options: options, logger: logger, observer: observer) { $0 }
    }

    /// Runs until the calling task is cancelled.
    public func run() async {
        var phase = Phase.listing
        var backoff = options.backoff
        var shortWatches = 0
        let resource = Object.resource.description
        var log = logger
        log[metadataKey: "resource"] = "\(resource)"
        while !Task.isCancelled {
            switch phase {
            case .listing:
                if let rv = await sync(backoff: &backoff, log: log) { phase = .watching(resourceVersion: rv) }
            case .watching(let rv):
                let started = ContinuousClock.now
                let outcome = await watchOnce(from: rv, log: log)
                if ContinuousClock.now - started >= backoff.resetAfter { backoff.reset() }
                switch outcome {
                case .ended(let last, let events):
                    // client-go's short-watch guard: a watch the server closes at once without an
                    // event is treated as a failure (backed off), not re-opened in a tight loop.
                    if events == 0, ContinuousClock.now - started < Self.shortWatch {
                        if Task.isCancelled { return }
                        observer.watchRestarted(resource: resource, reason: "short")
                        let wait = backoff.next()
                        shortWatches += 1
                        log.log(level: shortWatches == 1 ? .warning : .debug,
                                "very short watch: closed in under a second without events; backing off",
                                metadata: ["retryIn": "\(wait)", "inARow": "\(shortWatches)"])
                        try? await Task.sleep(for: wait)  // cancellation ends the loop at its top
                    } else {
                        shortWatches = 0
                    }
                    phase = .watching(resourceVersion: last)
                case .gone:
                    observer.watchRestarted(resource: resource, reason: "expired")
                    log.info("resourceVersion too old; listing again")
                    phase = .listing
                case .failed(let last, let error):
                    if Task.isCancelled { return }
                    observer.watchRestarted(resource: resource, reason: "error")
                    let wait = backoff.next()
                    log.warning("watch failed; re-watching", metadata: ["error": "\(error)", "retryIn": "\(wait)"])
                    try? await Task.sleep(for: wait)  // cancellation ends the loop at its top
                    phase = .watching(resourceVersion: last)
                }
            }
        }
    }

    /// A watch that ends without an event sooner than this is "very short" (client-go: 1 s).
    static var shortWatch: Duration { .seconds(1) }

    enum WatchOutcome {
        case ended(resourceVersion: String, events: Int)
        case gone
        case failed(resourceVersion: String, any Error)
    }

    private func watchOnce(from start: String, log: Logger) async -> WatchOutcome {
        var rv = start
        var received = 0
        do {
            let timeout = Int.random(in: options.watchTimeoutSeconds)
            let events = try await client.watch(
                Object.self, namespace: options.namespace, resourceVersion: rv, timeoutSeconds: timeout,
                labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
            for try await event in events {
                if case .error(let status) = event {
                    let error = APIError.watchError(status)
                    return error.isGone ? .gone : .failed(resourceVersion: rv, error)
                }
                received += 1
                store.apply(event, transform: transform)
                if let next = event.resourceVersion, !next.isEmpty { rv = next }
            }
            return .ended(resourceVersion: rv, events: received)
        } catch let error as APIError where error.isGone {
            return .gone
        } catch {
            return .failed(resourceVersion: rv, error)
        }
    }
}
