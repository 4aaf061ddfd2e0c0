import APIClient
import Assess
import Foundation
import KubeModel
import Logging
import Synchronization

/// Writes `core/v1` Events the way client-go's recorder does: named `<object>.<hex nanoseconds>`,
/// deduplicated (a repeat patches `count` and `lastTimestamp` of the Event already written) and
/// rate-limited per object. `emit` never throws: an Event is worth a log line, not a failed restart.
public final class EventRecorder: Sendable {
    /// Bounds of the deduplication cache and the per-object spam filter (client-go's defaults).
    public struct Limits: Sendable {
        public var cacheSize: Int
        public var burst: Int
        public var refillIntervalSeconds: Double

        public init(cacheSize: Int = 4096, burst: Int = 25, refillIntervalSeconds: Double = 300) {
            self.cacheSize = cacheSize
            self.burst = burst
            self.refillIntervalSeconds = refillIntervalSeconds
        }
    }

    public let component: String
    public let instance: String
    private let client: KubeClient
    private let logger: Logger
    private let clock: @Sendable () -> Date
    private let correlator: Mutex<EventCorrelator>
    private let lastNanos = Mutex<Int64>(0)

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
    }

    /// Writes `event` (or counts a repeat of it). Failures are logged with the server's Status.
    public func emit(_ event: WardenEvent) async {
        let now = clock()
        let verdict = correlator.withLock { $0.observe(event, now: now.timeIntervalSince1970) { eventName(for: event, at: now) } }
        var metadata = Self.metadata(event)
        let timestamp = Timestamp(seconds: Int64(now.timeIntervalSince1970.rounded(.down)))
        switch verdict {
        case .skip:
            logger.debug("event dropped by the per-object spam filter", metadata: metadata)
        case .create(let name):
            metadata["event"] = "\(name)"
            await create(event, name: name, count: 1, first: timestamp, last: timestamp, metadata: metadata)
        case .patch(let name, let count, let first):
            metadata["event"] = "\(name)"
            metadata["count"] = "\(count)"
            do {
                let body = try JSONBody.encode(CountPatch(count: count, lastTimestamp: timestamp))
                try await client.patch(.events, namespace: Self.namespace(event), name: name, type: .strategicMerge, body: body)
                logger.debug("event repeated", metadata: metadata)
            } catch let error as APIError where error.isNotFound {
                // Deleted meanwhile (Events expire after an hour by default): write it again, as client-go does.
                await create(event, name: name, count: count, first: first, last: timestamp, metadata: metadata)
            } catch {
                correlator.withLock { $0.forget(event) }
                logFailure(error, "cannot update event", metadata)
            }
        }
    }

    private func create(
        _ event: WardenEvent, name: String, count: Int, first: Timestamp, last: Timestamp, metadata: Logger.Metadata
    ) async {
        var name = name
        for attempt in 0..<2 {
            do {
                let body = try JSONBody.encode(coreEvent(event, name: name, count: count, first: first, last: last))
                try await client.create(.events, namespace: Self.namespace(event), body: body)
                if attempt > 0 { correlator.withLock { $0.renamed(event, to: name) } }
                logger.debug("event recorded", metadata: metadata)
                return
            } catch let error as APIError where error.code == 409 && attempt == 0 {
                name = eventName(for: event, at: clock())  // a name clash: take a fresh suffix once
            } catch {
                correlator.withLock { $0.forget(event) }
                logFailure(error, "cannot record event", metadata)
                return
            }
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
