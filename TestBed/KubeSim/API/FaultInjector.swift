import Foundation
import Synchronization

/// Faults switchable at runtime, applied to network requests (not to in-process store users).
public final class FaultInjector: Sendable {
    /// A failure returned instead of serving: 429 (with Retry-After), 500, 503 or 504; code 0
    /// drops the connection without an answer. With `afterServing`, the request is carried out
    /// first and only its answer is lost — a write committed while the client sees a failure (a
    /// 504 from the API server's request timeout, a connection dropped by a restart).
    public struct ErrorBurst: Sendable {
        public var code: Int
        /// How many requests get it (then it stops); nil = until cleared.
        public var remaining: Int?
        /// Only requests with these verbs ("list", "watch", "patch", "create", "get"...); empty = all.
        public var verbs: Set<String>
        /// Only these resources ("pods", "deployments"); empty = all.
        public var resources: Set<String>
        public var retryAfterSeconds: Int
        public var afterServing: Bool

        public init(code: Int, count: Int? = nil, verbs: Set<String> = [], resources: Set<String> = [],
                    retryAfterSeconds: Int = 1, afterServing: Bool = false) {
            self.code = code
            self.remaining = count
            self.verbs = verbs
            self.resources = resources
            self.retryAfterSeconds = retryAfterSeconds
            self.afterServing = afterServing
        }
    }

    /// What a matching burst does to one request.
    struct Injected {
        /// nil: the connection is dropped without an answer.
        var status: StatusError?
        var afterServing: Bool
    }

    private struct State {
        var bursts: [ErrorBurst] = []
        var latency: TimeInterval = 0
        var resourceLatency: [String: TimeInterval] = [:]
        var stallWatches = false
        var closeWatchesAtOnce = false
        var dropWatchesAfterEvents: Int?
        var clockSkewSeconds = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds a burst of error responses.
    public func inject(_ burst: ErrorBurst) {
        state.withLock { $0.bursts.append(burst) }
    }

    /// Added to every response (seconds).
    public var latency: TimeInterval {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// Added to every response about `resource` ("leases": a leader's renewals stall); 0 removes it.
    public func setLatency(_ seconds: TimeInterval, resource: String) {
        state.withLock { $0.resourceLatency[resource] = seconds > 0 ? seconds : nil }
    }

    /// The delay before answering a request: the global latency plus its resource's.
    func latency(for info: RequestInfo) -> TimeInterval {
        state.withLock { $0.latency + ($0.resourceLatency[info.resource] ?? 0) }
    }

    /// Watches stop sending anything (no events, no bookmarks) while connected: a stalled stream.
    public var stallWatches: Bool {
        get { state.withLock { $0.stallWatches } }
        set { state.withLock { $0.stallWatches = newValue } }
    }

    /// Every watch is answered 200 and ended cleanly at once, without an event (what a server
    /// restarting its watch cache or a proxy with a tiny idle timeout does).
    public var closeWatchesAtOnce: Bool {
        get { state.withLock { $0.closeWatchesAtOnce } }
        set { state.withLock { $0.closeWatchesAtOnce = newValue } }
    }

    /// Every watch connection is dropped (no terminating chunk) after this many events; nil = off.
    public var dropWatchesAfterEvents: Int? {
        get { state.withLock { $0.dropWatchesAfterEvents } }
        set { state.withLock { $0.dropWatchesAfterEvents = newValue } }
    }

    /// The server's clock is this many seconds ahead (negative: behind) of the host's, as its
    /// `Date` header says; stored timestamps are not affected.
    public var clockSkewSeconds: Int {
        get { state.withLock { $0.clockSkewSeconds } }
        set { state.withLock { $0.clockSkewSeconds = newValue } }
    }

    /// Removes every fault.
    public func clear() {
        state.withLock { $0 = State() }
    }

    /// The fault for a request, if a burst matches (consuming one of its count).
    func fault(for info: RequestInfo) -> Injected? {
        state.withLock { state -> Injected? in
            guard let index = state.bursts.firstIndex(where: { burst in
                (burst.verbs.isEmpty || burst.verbs.contains(info.verb))
                    && (burst.resources.isEmpty || burst.resources.contains(info.resource))
            }) else { return nil }
            let burst = state.bursts[index]
            if let remaining = burst.remaining {
                if remaining <= 1 { state.bursts.remove(at: index) } else { state.bursts[index].remaining = remaining - 1 }
            }
            return Injected(status: Self.status(for: burst), afterServing: burst.afterServing)
        }
    }

    private static func status(for burst: ErrorBurst) -> StatusError? {
        switch burst.code {
        case 0:
            return nil
        case 429:
            return StatusError(code: 429, reason: "TooManyRequests",
                             message: "Too many requests, please try again later.", causes: [],
                             hasDetails: true, retryAfterSeconds: burst.retryAfterSeconds)
        case 503:
            var status = StatusError.serviceUnavailable("The server is currently unable to handle the request")
            status.retryAfterSeconds = burst.retryAfterSeconds
            return status
        case 504:
            // The API server's words when a request outlives its timeout (the work may still finish).
            return StatusError(code: 504, reason: "Timeout",
                             message: "Timeout: request did not complete within requested timeout - context deadline exceeded",
                             hasDetails: true)
        default:
            return StatusError(code: burst.code, reason: "InternalError",
                             message: "Internal error occurred: injected fault", hasDetails: true)
        }
    }
}
