import APIClient
import KubeModel
import Logging

/// Keeps an `ObjectStore` equal to the server's state: sync (a streaming watch of the initial
/// state, or a paged list where the server does not support that), then watch from the sync's
/// resourceVersion, forever.
///
/// The paths between those phases — a watch that ends normally (server timeout) is re-opened
/// from the last resourceVersion; bookmarks advance it; 410 Gone (as HTTP 410 or as a watch
/// ERROR event) → sync again, the store swapped in one step; any other failure → back off
/// (exponential, jittered, reset after a healthy period) and re-watch from where it was — are
/// `ReflectorState.transition(on:elapsed:)`. `run()` only performs each phase's I/O against the
/// `ListWatcher` and feeds the outcome to it.
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
        /// How the I/O's durations are measured and the waits between them slept.
        public var clock: any ReflectorClock

        public init(
            namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
            pageSize: Int = 500, watchTimeoutSeconds: ClosedRange<Int> = 300...600, backoff: Backoff = Backoff(),
            partition: StorePartition<Entry>? = nil, initialSync: InitialSync = .stream,
            streamingSupport: StreamingSyncSupport? = nil, clock: any ReflectorClock = ContinuousReflectorClock()
        ) {
            self.clock = clock
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

    public let store: ObjectStore<Entry>
    let client: any ListWatcher
    let options: Options
    private let logger: Logger
    let observer: any ReflectorObserver
    let transform: @Sendable (Object) -> Entry
    let streamingSupport: StreamingSyncSupport

    public init(
        client: any ListWatcher, store: ObjectStore<Entry>, options: Options = Options(),
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
        client: any ListWatcher, store: ObjectStore<Object>, options: Options = Options(),
        logger: Logger = Logger(label: "token-warden.reflector"), observer: any ReflectorObserver = NoReflectorObserver()
    ) where Entry == Object {
        self.init(client: client, store: store, options: options, logger: logger, observer: observer) { $0 }
    }

    /// Runs until the calling task is cancelled.
    public func run() async {
        var state = ReflectorState(initialSync: options.initialSync, backoff: options.backoff)
        var log = logger
        log[metadataKey: "resource"] = "\(Object.resource.description)"
        while !Task.isCancelled {
            let started = options.clock.now
            let outcome: ReflectorOutcome
            switch state.phase {
            case .syncing(.stream): outcome = await streamInitialState(log: log)
            case .syncing(.list): outcome = await listInitialState(log: log)
            case .watching(let rv): outcome = await watchOnce(from: rv)
            }
            if Task.isCancelled { return }
            let transition = state.transition(on: outcome, elapsed: options.clock.now - started)
            report(transition, after: outcome, in: state, log: log)
            state = transition.state
            if transition.wait > .zero {
                try? await options.clock.sleep(for: transition.wait)  // cancellation ends the loop at its top
            }
        }
    }

    /// The step's log line and watch-restart count.
    private func report(_ transition: ReflectorTransition, after outcome: ReflectorOutcome, in state: ReflectorState, log: Logger) {
        if let restart = transition.restart {
            observer.watchRestarted(resource: Object.resource.description, reason: restart.rawValue)
        }
        let retryIn: Logger.MetadataValue = "\(transition.wait)"
        switch (state.phase, outcome) {
        case (.watching, .watchEnded) where transition.restart == .short:
            let inARow = transition.state.shortWatchesInARow
            log.log(level: inARow == 1 ? .warning : .debug,
                    "very short watch: closed in under a second without events; backing off",
                    metadata: ["retryIn": retryIn, "inARow": "\(inARow)"])
        case (.watching, .gone):
            log.info("resourceVersion too old; listing again")
        case (.syncing(.stream), .gone):
            log.info("resourceVersion too old during the initial stream; syncing again")
        case (.syncing(.list), .gone):
            log.warning("list failed: its continue token expired again after starting over; retrying",
                        metadata: ["retryIn": retryIn])
        case (.watching, .failed(_, let error)):
            log.warning("watch failed; re-watching", metadata: ["error": "\(error)", "retryIn": retryIn])
        case (.syncing(let method), .failed(_, let error)):
            let what = method == .stream ? "streaming sync failed" : "list failed"
            log.warning("\(what); retrying", metadata: ["error": "\(error)", "retryIn": retryIn])
        case (_, .streamingUnsupported), (_, .synced), (.watching, .watchEnded):
            break  // logged where it happened, or nothing to say
        case (.syncing, _), (.watching, _):
            log.warning("unexpected outcome; retrying", metadata: ["outcome": "\(outcome)", "retryIn": retryIn])
        }
    }

    /// One watch from `start`, its events applied to the store, until the server ends it. It
    /// runs where the client's events arrive (`watchExecutor`): each event is a little work, and
    /// a hand-over to another thread per event cost more than the work itself. The initial sync
    /// stays on the shared pool: it is a lot of work at once.
    private func watchOnce(from start: String) async -> ReflectorOutcome {
        await withTaskExecutorPreference(client.watchExecutor) { await watchEvents(from: start) }
    }

    private func watchEvents(from start: String) async -> ReflectorOutcome {
        var rv = start
        var received = 0
        do {
            let timeout = Int.random(in: options.watchTimeoutSeconds)
            let events = try await client.watch(
                Object.self, namespace: options.namespace, resourceVersion: rv, timeoutSeconds: timeout,
                labelSelector: options.labelSelector, fieldSelector: options.fieldSelector,
                allowBookmarks: true, sendInitialEvents: false)
            for try await event in events {
                if case .error(let status) = event {
                    let error = APIError.watchError(status)
                    return error.isGone ? .gone : .failed(resourceVersion: rv, error: error)
                }
                received += 1
                store.apply(event, transform: transform)
                if let next = event.resourceVersion, !next.isEmpty { rv = next }
            }
            return .watchEnded(resourceVersion: rv, events: received)
        } catch let error as APIError where error.isGone {
            return .gone
        } catch {
            return .failed(resourceVersion: rv, error: error)
        }
    }
}
