import APIClient
import Assess
import Foundation
import KubeModel
import Logging
import Synchronization

/// Writes audit evidence onto the pod it is about (`token-warden.dev/stale-token-issued-at`,
/// `…/stale-token-seen-at`) with a merge patch that names the pod's uid: the API server refuses
/// it (422, `metadata.uid` is immutable; 404 without a pod) when the name now belongs to another
/// pod, so a replacement never inherits evidence about its predecessor's token. Not more than
/// once per pod per token: nothing is written when the pod already carries this or an earlier
/// issue time.
public final class PodEvidenceWriter: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case written
        /// The pod (or this process) already has this issue time or an earlier one.
        case alreadyRecorded = "already_recorded"
        /// The pod is gone or its name now belongs to another pod (a different uid).
        case podReplaced = "pod_replaced"
        /// Report mode: nothing is written.
        case dryRun = "dry_run"
        case failed
    }

    /// The pod as the cache has it.
    public struct Target: Sendable {
        public var namespace: String
        public var name: String
        public var uid: String
        /// The issue time its annotations already carry, if any.
        public var recordedIssuedAt: Timestamp?

        public init(namespace: String, name: String, uid: String, recordedIssuedAt: Timestamp?) {
            self.namespace = namespace
            self.name = name
            self.uid = uid
            self.recordedIssuedAt = recordedIssuedAt
        }
    }

    private let client: KubeClient
    private let dryRun: Bool
    private let logger: Logger
    /// By uid, the issue time this process wrote; bounded (the pods' own annotations are the
    /// lasting record, this only saves a write before the cache shows it).
    private let written = Mutex<[String: Timestamp]>([:])
    static let rememberedPods = 50_000

    public init(client: KubeClient, dryRun: Bool, logger: Logger) {
        self.client = client
        self.dryRun = dryRun
        self.logger = logger
    }

    public func write(_ target: Target, evidence: TokenEvidence) async -> Outcome {
        await attempt(target, evidence: evidence).outcome
    }

    /// `write`, with the error of a failed write (for the caller's backoff).
    public func attempt(_ target: Target, evidence: TokenEvidence) async -> (outcome: Outcome, error: (any Error)?) {
        let issuedAt = evidence.tokenIssuedAt
        if let recorded = target.recordedIssuedAt, recorded <= issuedAt { return (.alreadyRecorded, nil) }
        if let mine = written.withLock({ $0[target.uid] }), mine <= issuedAt { return (.alreadyRecorded, nil) }
        guard !dryRun else { return (.dryRun, nil) }
        do {
            try await client.patch(.pods, namespace: target.namespace, name: target.name, type: .merge,
                                   body: Self.patchBody(uid: target.uid, annotations: [
                                       PolicyAnnotation.staleTokenIssuedAt: issuedAt.rfc3339,
                                       PolicyAnnotation.staleTokenSeenAt: evidence.lastSeen.rfc3339,
                                   ]))
        } catch let error as APIError where Self.isReplaced(error) {
            logger.info("pod replaced before its evidence was written; nothing written", metadata: [
                "namespace": "\(target.namespace)", "pod": "\(target.name)", "podUID": "\(target.uid)", "error": "\(error)",
            ])
            return (.podReplaced, nil)
        } catch {
            logger.warning("cannot write stale-token evidence on the pod", metadata: [
                "namespace": "\(target.namespace)", "pod": "\(target.name)", "error": "\(error)",
            ])
            return (.failed, error)
        }
        written.withLock { remembered in
            if remembered.count >= Self.rememberedPods { remembered.removeAll(keepingCapacity: true) }
            remembered[target.uid] = issuedAt
        }
        logger.notice("stale-token evidence written on the pod", metadata: [
            "namespace": "\(target.namespace)", "pod": "\(target.name)", "tokenIssuedAt": "\(issuedAt.rfc3339)",
        ])
        return (.written, nil)
    }

    /// `{"metadata":{"uid":…,"annotations":{…}}}` for any writer of the evidence (the
    /// controller, `audit --record`): the uid makes the API server refuse the patch for any other
    /// pod of that name.
    public static func patchBody(uid: String, annotations: [String: String]) throws -> [UInt8] {
        let patch: [String: Any] = ["metadata": ["uid": uid, "annotations": annotations]]
        return Array(try JSONSerialization.data(withJSONObject: patch, options: [.sortedKeys]))
    }

    /// 404: no pod of that name; 422 on metadata.uid: the name belongs to another pod now (409
    /// too, which a uid precondition answers on other write paths).
    public static func isReplaced(_ error: APIError) -> Bool {
        if error.isNotFound || error.isConflict { return true }
        guard error.code == 422, case .status(_, let status, _, _, _) = error else { return false }
        return status.details?.causes?.contains { $0.field == "metadata.uid" } == true || (status.message ?? "").contains("metadata.uid")
    }
}
