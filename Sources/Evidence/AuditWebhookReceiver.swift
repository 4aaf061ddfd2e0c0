import Foundation
import KubeModel
import Logging
import Observe

/// What one webhook batch contained.
public struct AuditWebhookBatch: Sendable {
    public var apiVersion: String
    public var events: Int
    public var staleTokens: [StaleTokenObservation]
    public var invalidatedLegacyTokens: [LegacyTokenObservation]
    /// Stale-token annotations on events whose user is not that ServiceAccount: not evidence about a pod.
    public var notServiceAccount = 0
}

/// Errors parsing a webhook body; answered with 400 so the API server logs them.
public enum AuditWebhookError: Error, Equatable, CustomStringConvertible {
    case notJSON(String)
    case unknownAPIVersion(String)
    case unexpectedKind(String)

    public var description: String {
        switch self {
        case .notJSON(let detail): return "body is not an audit EventList: \(detail)"
        case .unknownAPIVersion(let version): return "unknown audit API version \"\(version)\""
        case .unexpectedKind(let kind): return "expected kind EventList, got \"\(kind)\""
        }
    }
}

/// The body of an authenticated `POST /audit` (see `AuditWebhookServer`): the API server's audit
/// webhook backend (`--audit-webhook-config-file`) sends batches of events as an `audit.k8s.io/v1`
/// `EventList`. Stale-token evidence goes into the `StaleTokenEvidenceStore`; the answer is an
/// immediate 200 (the batch is parsed inline: a batch is at most a few hundred Metadata-level
/// events, well under a millisecond of work per event).
public final class AuditWebhookReceiver: Sendable {
    public let store: StaleTokenEvidenceStore
    private let metrics: WardenMetrics?
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    /// False when no cached pod has the observation's uid (nil: every pod counts as known).
    private let podIsKnown: (@Sendable (StaleTokenObservation) -> Bool)?
    /// Told of every batch taken, evidence or not: the source is alive.
    public let batchClock: AuditBatchClock?

    public init(
        store: StaleTokenEvidenceStore,
        metrics: WardenMetrics?,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(seconds: RFC3339Time.nowMilliseconds() / 1000) },
        podIsKnown: (@Sendable (StaleTokenObservation) -> Bool)? = nil, batchClock: AuditBatchClock? = nil
    ) {
        self.batchClock = batchClock
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.podIsKnown = podIsKnown
    }

    /// Most events carry no token evidence: the body is validated and split into its events
    /// without decoding (`JSONLineScanner`, `EventListScanner`), and only the events that mention
    /// a token annotation are decoded, as the audit-log reader does.
    public static func parse(body: [UInt8]) throws(AuditWebhookError) -> AuditWebhookBatch {
        let scanned: (version: String?, list: EventListScanner.Result)? = body.withUnsafeBytes { raw in
            let scan = JSONLineScanner.scan(raw)
            guard scan.isValid, let list = EventListScanner.scan(raw) else { return nil }
            return (scan.apiVersion.map { String(decoding: UnsafeRawBufferPointer(rebasing: raw[$0]), as: UTF8.self) }, list)
        }
        guard let scanned else { throw .notJSON(decodingProblem(body)) }
        let version = scanned.version ?? ""
        guard AuditVocabulary.knownAPIVersions.contains(version) else { throw .unknownAPIVersion(version) }
        guard scanned.list.kind == nil || scanned.list.kind == "EventList" else { throw .unexpectedKind(scanned.list.kind ?? "") }
        var batch = AuditWebhookBatch(apiVersion: version, events: 0, staleTokens: [], invalidatedLegacyTokens: [])
        let decoder = JSONDecoder()
        var events: [AuditEventRecord] = []
        for range in scanned.list.items {
            batch.events += 1
            guard body[range.lowerBound] == UInt8(ascii: "{") else { throw .notJSON("event \(batch.events - 1) is not an object") }
            let mentions = body.withUnsafeBytes { AuditLineParser.mentionsTokenAnnotation(UnsafeRawBufferPointer(rebasing: $0[range])) }
            guard mentions else { continue }
            do {
                events.append(try decoder.decode(AuditEventRecord.self, from: Data(body[range])))
            } catch {
                throw .notJSON("event \(batch.events - 1): " + String(describing: error).prefix(200))
            }
        }
        for event in events {
            let evidence = AuditEvidenceExtractor.evidence(from: event)
            if let stale = evidence.staleToken {
                // Only a ServiceAccount's own request says something about its pod's token.
                let user = event.user?.username.flatMap { ServiceAccountName(username: $0) }
                if user == ServiceAccountName(namespace: stale.namespace, name: stale.serviceAccount) {
                    batch.staleTokens.append(stale)
                } else {
                    batch.notServiceAccount += 1
                }
            }
            if let legacy = evidence.legacyTokenInvalidated { batch.invalidatedLegacyTokens.append(legacy) }
        }
        return batch
    }

    /// Why a body that did not scan is not an EventList, in the decoder's words (the slow path,
    /// for bad input only).
    static func decodingProblem(_ body: [UInt8]) -> String {
        do {
            _ = try JSONDecoder().decode(AuditEventListRecord.self, from: Data(body))
            return "not a JSON object"
        } catch {
            return String(describing: error).prefix(200).description
        }
    }

    public func receive(body: [UInt8], contentType: String?) -> EndpointResponse {
        if let contentType, !contentType.lowercased().hasPrefix("application/json") {
            return .text(415, "audit webhook accepts application/json, got \(contentType)\n")
        }
        let batch: AuditWebhookBatch
        do {
            batch = try Self.parse(body: body)
        } catch {
            logger.warning("rejected audit webhook batch", metadata: ["problem": "\(error)", "bytes": "\(body.count)"])
            return .text(400, "\(error)\n")
        }
        batchClock?.noteBatch(at: clock())
        var staleTokens = batch.staleTokens
        if let podIsKnown { staleTokens.removeAll { !podIsKnown($0) } }
        let unknownPods = batch.staleTokens.count - staleTokens.count
        let fresh = store.record(staleTokens, receivedAt: clock())
        for pod in fresh {
            logger.notice("pod confirmed stale by the API server's audit log", metadata: [
                "namespace": "\(pod.namespace)", "pod": "\(pod.podName ?? "")", "podUID": "\(pod.podUID)",
                "serviceAccount": "\(pod.serviceAccount)", "secondsAfterWarning": "\(pod.maxSecondsAfterWarning)",
            ])
        }
        for legacy in batch.invalidatedLegacyTokens {
            logger.warning("invalidated legacy token used", metadata: [
                "namespace": "\(legacy.namespace)", "secret": "\(legacy.secretName)",
            ])
        }
        if let metrics {
            let withEvidence = batch.staleTokens.count + batch.invalidatedLegacyTokens.count
            metrics.recordAuditEvents(.staleToken, count: batch.staleTokens.count)
            metrics.recordAuditEvents(.legacyTokenInvalidated, count: batch.invalidatedLegacyTokens.count)
            metrics.recordAuditEvents(.none, count: max(0, batch.events - withEvidence))
            metrics.recordAuditEventsDropped(.notServiceAccount, count: batch.notServiceAccount)
            metrics.recordAuditEventsDropped(.unknownPod, count: unknownPods)
        }
        logger.debug("audit webhook batch", metadata: [
            "events": "\(batch.events)", "staleTokens": "\(batch.staleTokens.count)",
        ])
        return EndpointResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
    }
}
