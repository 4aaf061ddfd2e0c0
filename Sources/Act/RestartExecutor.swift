import APIClient
import Assess
import Foundation
import KubeModel
import Logging
import Plan
import Synchronization

/// Carries out the planner's restart decisions against the API server: a rollout patch, one
/// eviction at a time, or (opt-in) a bare pod deleted and created again. Every write is a patch
/// or a create/delete with a uid precondition — never a read-modify-write update — so other
/// controllers' changes are never clobbered. The restart state is written to the cluster
/// (annotations) so a controller restart or a leader change never repeats a restart.
///
/// It writes no Event: what it did, or in dry run (report mode, where nothing is written) what
/// it would have done, goes to `report` as it happens (`RestartReport`).
public final class RestartExecutor: Sendable {
    /// The annotation `kubectl rollout restart` writes on the pod template.
    public static let kubectlRestartedAt = PolicyAnnotation.kubectlRestartedAt

    public let dryRun: Bool
    let client: KubeClient
    /// Told what was done as it happens (the controller turns it into Events).
    let report: @Sendable (RestartReport) async -> Void
    let logger: Logger
    /// Eviction evictions this process is driving (in memory; the cluster holds restarted-at).
    let evictions = Mutex<[WorkloadID: EvictionSequence]>([:])
    /// Bare pods deleted and not yet created again (`recreateStep`).
    let recreations = Mutex<[WorkloadID: PendingRecreation]>([:])

    public init(client: KubeClient, logger: Logger, dryRun: Bool, report: @escaping @Sendable (RestartReport) async -> Void) {
        self.client = client
        self.report = report
        self.logger = logger
        self.dryRun = dryRun
    }

    /// Starts a rollout restart with ONE PATCH, the kind's own (`WorkloadKindSpec.restart`):
    /// for a Deployment, StatefulSet or DaemonSet `kubectl.kubernetes.io/restartedAt` (what
    /// `kubectl rollout restart` writes) and `token-warden.dev/restarted-at` on the pod template;
    /// for an Argo Rollout `spec.restartAt`; with the restart state (`restarted-at`,
    /// `restart-for-deadline`) on the workload's own metadata.
    ///
    /// If the server's answer shows the rollout cannot proceed (paused since the assessment,
    /// OnDelete), the restart state is removed again and `RestartError.rolloutBlocked` is thrown.
    /// After a failed attempt (`afterFailedAttempt`) the workload is read from the server first: a
    /// patch whose answer was lost may have landed although the caches do not show it yet, and
    /// sending it again with a new restartedAt would start a second rollout. If the server shows
    /// this deadline's restart state, that rollout is reported as started and nothing is sent; if
    /// it cannot be read, nothing is sent either (the read's error is thrown).
    ///
    /// Thrown errors are the caller's to report (a RestartFailed Event); `report` is told only
    /// what was done or did not throw (a rollout started, or in report mode would have).
    public func startRollout(_ decision: Decision, now: Timestamp, afterFailedAttempt: Bool = false) async throws {
        let ref = decision.ref
        guard let spec = KindRestartSupport.of(decision.workload.kind).spec, let restart = spec.restart else {
            throw RestartError.unsupported(ref, "a \(decision.workload.kind.kindName) has no rollout; use evict")
        }
        let resource = spec.resource
        guard let deadline = decision.deadline else { throw RestartError.missingDeadline(ref) }
        let patch = restart(ref.uid, now, deadline)
        let body = try JSONBody.encode(patch.document)
        var metadata = Self.metadata(decision)
        metadata["restartedAt"] = "\(now.rfc3339)"

        if dryRun {
            metadata["patch"] = "\(String(decoding: body, as: UTF8.self))"
            logger.info("report mode: would start a rollout restart", metadata: metadata)
            await report(.wouldRollout(decision))
            return
        }

        if afterFailedAttempt, let started = try await restartStateOnServer(resource: resource, ref: ref, deadline: deadline) {
            logger.notice("an earlier rollout patch for this deadline landed; not sent again",
                          metadata: metadata.merging(["restartedAt": "\(started.rfc3339)"]) { $1 })
            await report(.rolloutStarted(decision, patch: patch.summary))
            return
        }
        let answer: [UInt8]
        do {
            answer = try await client.patch(resource, namespace: ref.namespace, name: ref.name,
                                            type: patch.format == .merge ? .merge : .strategicMerge, body: body)
        } catch let error as APIError where error.outcomeUnknown {
            // Reported as failed, a patch that did land would be sent again by the next pass
            // (before the caches show it): a second rollout. The workload says which it was.
            guard let landed = await landedRollout(resource: resource, ref: ref, now: now, deadline: deadline, after: error) else { throw error }
            logger.notice("rollout patch applied although its answer was lost", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            answer = landed
        }
        if let why = try KindRestartSupport.blocker(of: spec, in: answer, decoder: client.decoder) {
            logger.warning("rollout patched but blocked; restart state removed", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            try await clearRestartState(resource: resource, ref: ref)
            throw RestartError.rolloutBlocked(ref, why)  // the caller reports failures (RestartFailed)
        }
        logger.notice("rollout restart started", metadata: metadata)
        await report(.rolloutStarted(decision, patch: patch.summary))
    }

    /// The workload as the server has it now, if it carries this attempt's restart state (the
    /// same restartedAt, to the second, for the same deadline); nil if not, or if it cannot be read.
    func landedRollout(resource: ResourceDescriptor, ref: ObjectRef, now: Timestamp, deadline: Timestamp, after patchError: APIError) async -> [UInt8]? {
        do {
            let (bytes, metadata) = try await serverCopy(resource, ref)
            let annotations = metadata.annotations ?? [:]
            let applied = RestartState.annotations(restartedAt: now, forDeadline: deadline).allSatisfy { annotations[$0.key] == $0.value }
                && (ref.uid == nil || metadata.uid == ref.uid)
            return applied ? bytes : nil
        } catch {
            logger.warning("cannot tell whether a failed rollout patch landed", metadata: [
                "workload": "\(ref)", "patchError": "\(patchError)", "readError": "\(error)",
            ])
            return nil
        }
    }

    /// When this deadline's rollout was started, if the server's copy of the workload (the same
    /// object: uid) carries its restart state; nil if it does not.
    func restartStateOnServer(resource: ResourceDescriptor, ref: ObjectRef, deadline: Timestamp) async throws -> Timestamp? {
        let (_, metadata) = try await serverCopy(resource, ref)
        guard ref.uid == nil || metadata.uid == ref.uid else { return nil }
        // Malformed values were reported when the caches read them; here they only mean "not this deadline".
        let (state, _) = RestartState.read(annotations: metadata.annotations, object: ref)
        guard state.restartForDeadline == deadline else { return nil }
        return state.restartedAt ?? deadline
    }

    /// The object as the server has it now (not as the caches last saw it): its JSON and metadata.
    func serverCopy(_ resource: ResourceDescriptor, _ ref: ObjectRef) async throws -> (object: [UInt8], metadata: ObjectMeta) {
        let bytes = try await client.getRaw(resource.objectPath(namespace: ref.namespace, name: ref.name))
        return (bytes, try client.decoder.decode(MetadataOnly.self, from: bytes).metadata)
    }

    /// The strategic-merge patch of a pod-template rollout restart (`RestartPatch.podTemplate`).
    static func rolloutPatch(uid: String?, now: Timestamp, deadline: Timestamp) -> RolloutPatch {
        RolloutPatch(uid: uid, now: now, deadline: deadline)
    }

    /// Removes the restart-state annotations from the workload (merge patch, null deletes).
    func clearRestartState(resource: ResourceDescriptor, ref: ObjectRef) async throws {
        let body = try JSONBody.encode(StatePatch(uid: ref.uid, annotations: [
            PolicyAnnotation.restartedAt: nil, PolicyAnnotation.restartForDeadline: nil,
        ]))
        try await client.patch(resource, namespace: ref.namespace, name: ref.name, type: .merge, body: body)
    }

    static func metadata(_ decision: Decision) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["workload": "\(decision.workload)", "action": "\(decision.action.name)"]
        if let deadline = decision.deadline { metadata["deadline"] = "\(deadline.rfc3339)" }
        return metadata
    }
}

/// `{"metadata":{"uid":…,"annotations":{k: v or null}}}` for a merge patch.
struct StatePatch: Encodable {
    struct Metadata: Encodable {
        var uid: String?
        var annotations: [String: String?]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: DynamicKey.self)
            if let uid { try c.encode(uid, forKey: DynamicKey("uid")) }
            var nested = c.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("annotations"))
            for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
                if let value { try nested.encode(value, forKey: DynamicKey(key)) } else { try nested.encodeNil(forKey: DynamicKey(key)) }
            }
        }
    }

    var metadata: Metadata

    init(uid: String?, annotations: [String: String?]) {
        metadata = Metadata(uid: uid, annotations: annotations)
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
