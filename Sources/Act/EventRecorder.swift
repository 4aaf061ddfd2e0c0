import APIClient
import Assess
import Foundation
import KubeModel
import Logging
import Synchronization

/// Writes `core/v1` Events the way client-go's recorder does: named `<object>.<hex nanoseconds>`,
/// deduplicated (a repeat patches `count` and `lastTimestamp` of the Event already written) and
/// rate-limited per object. `emit` never throws: an Event is worth a log line, not a failed restart.
///
/// A write refused for a reason that may pass (429, 5xx, no HTTP answer) goes into a small bounded
/// retry queue and is tried again with backoff (up to 12 attempts in all, like client-go's
/// broadcaster); the oldest waiting Event is dropped, counted and logged when the queue is full.
/// Any other refusal (403, 404 namespace gone, 422 invalid…) is logged once and dropped. Waiting
/// Events live in memory only: a process that ends loses them.
public final class EventRecorder: Sendable {
    /// Bounds of the deduplication cache and the per-object spam filter (client-go's defaults).
    public struct Limits: Sendable {
        public var cacheSize: Int
        public var burst: Int
        public var refillIntervalSeconds: Double
        /// Events waiting for another attempt at most; the oldest is dropped beyond this.
        public var retryQueueSize: Int
        /// Attempts per Event in all, the first write included.
        public var maxAttempts: Int
        /// The wait before the first retry; it doubles per attempt up to `retryMaxDelay`.
        public var retryInitialDelay: Duration
        public var retryMaxDelay: Duration

        public init(
            cacheSize: Int = 4096, burst: Int = 25, refillIntervalSeconds: Double = 300, retryQueueSize: Int = 256,
            maxAttempts: Int = 12, retryInitialDelay: Duration = .seconds(1), retryMaxDelay: Duration = .seconds(30)
        ) {
            self.cacheSize = cacheSize
            self.burst = burst
            self.refillIntervalSeconds = refillIntervalSeconds
            self.retryQueueSize = retryQueueSize
            self.maxAttempts = maxAttempts
            self.retryInitialDelay = retryInitialDelay
            self.retryMaxDelay = retryMaxDelay
        }
    }

    public let component: String
    public let instance: String
    private let client: KubeClient
    private let logger: Logger
    private let clock: @Sendable () -> Date
    private let correlator: Mutex<EventCorrelator>
    private let lastNanos = Mutex<Int64>(0)
    /// Failed writes waiting for another attempt, and whether a task is draining them.
    private let retries: Mutex<(queue: EventRetryQueue, draining: Bool)>

    /// - Parameters:
    ///   - component: `source.component` and `reportingComponent`.
    ///   - instance: `reportingInstance` and `source.host` (the pod name, for example).
    ///   - clock: the wall clock (tests pass a fixed one).
    public init(
        client: KubeClient, component: String = "token-warden", instance: String, logger: Logger,
        limits: Limits = Limits(), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.component = component
        self.instance = instance
        self.logger = logger
        self.clock = clock
        self.correlator = Mutex(EventCorrelator(limits: .init(
            cacheSize: limits.cacheSize, burst: limits.burst, ratePerSecond: 1 / limits.refillIntervalSeconds)))
        self.retries = Mutex((EventRetryQueue(policy: .init(
            capacity: limits.retryQueueSize, maxAttempts: limits.maxAttempts,
            initialDelay: limits.retryInitialDelay, maxDelay: limits.retryMaxDelay)), false))
    }

    /// Events waiting for another attempt.
    public var pendingRetries: Int { retries.withLock { $0.queue.count } }

    /// Events not written since the start: the retry queue was full, every attempt failed, or a
    /// repeat was held back by the per-object spam filter.
    public var droppedEvents: Int { retries.withLock { $0.queue.dropped } + spamHeldBack.load(ordering: .relaxed) }

    /// Repeats the per-object spam filter held back.
    private let spamHeldBack = Atomic<Int>(0)

    /// Writes `event` (or counts a repeat of it). Failures are logged with the server's Status.
    @discardableResult
    public func emit(_ event: WardenEvent) async -> EventEmission {
        let now = clock()
        let verdict = correlator.withLock { $0.observe(event, now: now.timeIntervalSince1970) { eventName(for: event, at: now) } }
        var metadata = Self.metadata(event)
        let timestamp = Timestamp(seconds: Int64(now.timeIntervalSince1970.rounded(.down)))
        switch verdict {
        case .skip:
            let total = spamHeldBack.add(1, ordering: .relaxed).newValue
            logger.notice("event repeat not written: per-object spam filter (its count is kept)",
                          metadata: metadata.merging(["heldBack": "\(total)"]) { $1 })
        case .create(let name):
            metadata["event"] = "\(name)"
            var pending = EventRetryQueue.Entry(
                event: event, name: name, count: 1, firstTimestamp: timestamp, lastTimestamp: timestamp, attempts: 1, dueAt: .now)
            if followPending(pending, metadata: metadata) { return .handled }
            switch await create(&pending, metadata: metadata) {
            case .written: break
            case .failed(let error):
                settleFailure(pending, error, "cannot record event", metadata)
                if error is WriteFenced { return .fenced }
            }
        case .patch(let name, let count, let first):
            metadata["event"] = "\(name)"
            metadata["count"] = "\(count)"
            var pending = EventRetryQueue.Entry(
                event: event, name: name, count: count, firstTimestamp: first, lastTimestamp: timestamp, attempts: 1, dueAt: .now)
            if followPending(pending, metadata: metadata) { return .handled }
            switch await patch(&pending, metadata: metadata) {
            case .written: break
            case .failed(let error):
                settleFailure(pending, error, "cannot update event", metadata)
                if error is WriteFenced { return .fenced }
            }
        }
        return .handled
    }

    enum WriteOutcome {
        case written
        case failed(any Error)
    }

    /// Creates the Event; a name clash (409) takes a fresh suffix once (`pending` carries it on).
    private func create(_ pending: inout EventRetryQueue.Entry, metadata: Logger.Metadata) async -> WriteOutcome {
        var renamed = false
        while true {
            do {
                try await client.create(.events, namespace: Self.namespace(pending.event), body: body(pending))
                logger.debug("event recorded", metadata: metadata)
                return .written
            } catch let error as APIError where error.isConflict && !renamed {
                renamed = true
                pending.name = eventName(for: pending.event, at: clock())
                let name = pending.name, event = pending.event
                correlator.withLock { $0.renamed(event, to: name) }
            } catch {
                return .failed(error)
            }
        }
    }

    /// Patches `count` and `lastTimestamp` of the Event; one deleted meanwhile (Events expire after
    /// an hour by default) is written again, as client-go does.
    private func patch(_ pending: inout EventRetryQueue.Entry, metadata: Logger.Metadata) async -> WriteOutcome {
        do {
            let body = try JSONBody.encode(CountPatch(count: pending.count, lastTimestamp: pending.lastTimestamp))
            try await client.patch(.events, namespace: Self.namespace(pending.event), name: pending.name, type: .strategicMerge, body: body)
            logger.debug("event repeated", metadata: metadata)
            return .written
        } catch let error as APIError where error.isNotFound {
            return await create(&pending, metadata: metadata)
        } catch {
            return .failed(error)
        }
    }

    private func body(_ pending: EventRetryQueue.Entry) throws -> [UInt8] {
        try JSONBody.encode(coreEvent(
            pending.event, name: pending.name, count: pending.count, first: pending.firstTimestamp, last: pending.lastTimestamp))
    }

    // MARK: Retries

    /// Worth another attempt later: throttled (429), a server error (5xx) or no HTTP answer.
    static func isRetryable(_ error: any Error) -> Bool {
        switch error as? APIError {
        case .status(let code, _, _, _, _)?: return code == 429 || code >= 500
        case .transport(let transport)?: return transport.isTransient
        default: return false
        }
    }

    /// A failed write: queued for another attempt when that may help, else logged once and dropped.
    private func settleFailure(_ pending: EventRetryQueue.Entry, _ error: any Error, _ what: String, _ metadata: Logger.Metadata) {
        guard Self.isRetryable(error) else {
            retries.withLock { $0.queue.finish(pending.name) }  // when it was a retry
            correlator.withLock { $0.forget(pending.event) }  // the next occurrence creates a fresh Event
            logFailure(error, "\(what); dropped", metadata)
            return
        }
        var retryAfter: Int?
        if case .status(_, _, let seconds, _, _)? = error as? APIError { retryAfter = seconds }
        let (givenUp, startDrain) = retries.withLock { state in
            let givenUp = state.queue.schedule(pending, retryAfterSeconds: retryAfter, now: .now)
            let start = !state.draining && !state.queue.isEmpty
            if start { state.draining = true }
            return (givenUp, start)
        }
        if let givenUp {
            giveUp(givenUp, givenUp.name == pending.name ? "event dropped: every attempt failed" : "event dropped: the retry queue is full",
                   error: error)
        }
        if givenUp?.name != pending.name, pending.attempts == 1 {
            var metadata = metadata
            metadata["error"] = "\(error)"
            logger.notice("\(what); will retry", metadata: metadata)
        }
        if startDrain {
            // Holds the recorder only for one step at a time: a recorder given up (its controller
            // stopped) ends its retries at the next step instead of living on in this task.
            Task { [weak self] in
                while let recorder = self, await recorder.drainStep() {}
            }
        }
    }

    /// A write of this Event is already waiting or under way: the newer state queues behind it,
    /// so writes of one Event never overtake each other (an older count cannot win).
    private func followPending(_ pending: EventRetryQueue.Entry, metadata: Logger.Metadata) -> Bool {
        let (followed, givenUp) = retries.withLock { state -> (Bool, EventRetryQueue.Entry?) in
            guard state.queue.isPending(pending.name) else { return (false, nil) }
            return (true, state.queue.follow(pending, now: .now))
        }
        if let givenUp { giveUp(givenUp, "event dropped: the retry queue is full", error: nil) }
        if followed { logger.debug("event queued behind a pending write of it", metadata: metadata) }
        return followed
    }

    private func giveUp(_ entry: EventRetryQueue.Entry, _ why: String, error: (any Error)?) {
        correlator.withLock { $0.forget(entry.event) }
        var metadata = Self.metadata(entry.event)
        metadata["event"] = "\(entry.name)"
        metadata["attempts"] = "\(entry.attempts)"
        if let error {
            logFailure(error, why, metadata)
        } else {
            logger.warning("\(why)", metadata: metadata)
        }
    }

    private enum DrainStep {
        case attempt(EventRetryQueue.Entry)
        case wait(until: ContinuousClock.Instant)
        case done
    }

    /// One step of draining the retry queue: an attempt, or a wait for the next one. False when
    /// the queue is empty (or the task was cancelled) and the drain has ended.
    private func drainStep() async -> Bool {
        let step = retries.withLock { state -> DrainStep in
            if let due = state.queue.takeDue(now: .now) { return .attempt(due) }
            guard let next = state.queue.nextDue else {
                state.draining = false
                return .done
            }
            // Wake at least once per initial delay: a newer entry may fall due before `next`.
            return .wait(until: min(next, .now + state.queue.policy.initialDelay))
        }
        switch step {
        case .done:
            return false
        case .wait(let until):
            do {
                try await Task.sleep(until: until, clock: .continuous)
            } catch {
                retries.withLock { $0.draining = false }  // cancelled: the next failure starts a new drain
                return false
            }
        case .attempt(var entry):
            var metadata = Self.metadata(entry.event)
            metadata["event"] = "\(entry.name)"
            metadata["count"] = "\(entry.count)"
            entry.attempts += 1
            metadata["attempt"] = "\(entry.attempts)"
            switch await retryWrite(entry) {
            case .written:
                retries.withLock { $0.queue.finish(entry.name) }
                logger.info("event recorded after a retry", metadata: metadata)
            case .failed(let error):
                settleFailure(entry, error, "cannot record event", metadata)  // ends the attempt too
            }
        }
        return true
    }

    /// An attempt that timed out may have landed: a 409 on the retry means the Event is there, so
    /// only its count and last timestamp are brought up to date.
    private func retryWrite(_ entry: EventRetryQueue.Entry) async -> WriteOutcome {
        let namespace = Self.namespace(entry.event)
        do {
            try await client.create(.events, namespace: namespace, body: body(entry))
            return .written
        } catch let error as APIError where error.isConflict {
            do {
                let body = try JSONBody.encode(CountPatch(count: entry.count, lastTimestamp: entry.lastTimestamp))
                try await client.patch(.events, namespace: namespace, name: entry.name, type: .strategicMerge, body: body)
                return .written
            } catch {
                return .failed(error)
            }
        } catch {
            return .failed(error)
        }
    }

    /// The Event object as client-go's recorder builds it.
    func coreEvent(_ event: WardenEvent, name: String, count: Int, first: Timestamp, last: Timestamp) -> CoreEvent {
        let ref = event.regarding
        return CoreEvent(
            metadata: ObjectMeta(name: name, namespace: Self.namespace(event)),
            involvedObject: ObjectReference(
                kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid,
                apiVersion: event.apiVersion.isEmpty ? nil : event.apiVersion),
            reason: event.reason.rawValue, message: Self.truncated(event.message),
            source: EventSource(component: component, host: instance.isEmpty ? nil : instance),
            firstTimestamp: first, lastTimestamp: last, count: count, type: event.type.rawValue,
            action: event.action.isEmpty ? nil : String(event.action.prefix(128)),
            reportingComponent: component, reportingInstance: String(instance.prefix(128)))
    }

    /// `<object>.<unix nanoseconds in hex>` like client-go, strictly increasing within this process.
    private func eventName(for event: WardenEvent, at date: Date) -> String {
        let nanos = lastNanos.withLock { last in
            let candidate = Int64(date.timeIntervalSince1970 * 1_000_000_000)
            last = max(candidate, last + 1)
            return last
        }
        return "\(event.regarding.name).\(String(nanos, radix: 16))"
    }

    /// Events live in the object's namespace; cluster-scoped objects' Events in `default`.
    static func namespace(_ event: WardenEvent) -> String {
        guard let namespace = event.regarding.namespace, !namespace.isEmpty else { return "default" }
        return namespace
    }

    /// The API server rejects messages over 1024 bytes; cut on a character boundary.
    static func truncated(_ message: String) -> String {
        guard message.utf8.count > 1024 else { return message }
        var cut = ""
        for character in message {
            if cut.utf8.count + character.utf8.count > 1021 { break }
            cut.append(character)
        }
        return cut + "..."
    }

    static func metadata(_ event: WardenEvent) -> Logger.Metadata {
        [
            "object": "\(event.regarding)", "reason": "\(event.reason.rawValue)", "type": "\(event.type.rawValue)",
        ]
    }

    private func logFailure(_ error: any Error, _ what: String, _ metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["error"] = "\(error)"
        if case .status(let code, let status, _, _, _) = error as? APIError {
            metadata["code"] = "\(code)"
            metadata["statusReason"] = "\(status.reason ?? "")"
            metadata["statusMessage"] = "\(status.message ?? "")"
        }
        logger.warning("\(what)", metadata: metadata)
    }
}

/// The repeat patch client-go sends (a two-way merge of the old and new Event).
private struct CountPatch: Encodable {
    var count: Int
    var lastTimestamp: Timestamp
}
