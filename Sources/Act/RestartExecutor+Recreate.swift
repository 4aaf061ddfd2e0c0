import APIClient
import Assess
import Foundation
import KubeModel
import Logging
import Plan

/// The `uid` of a created object (all the executor needs from the create answer).
private struct CreatedObject: Decodable {
    struct Meta: Decodable { var uid: String? }
    var metadata: Meta
}

extension RestartExecutor {
    /// Replaces a bare pod annotated `token-warden.dev/strategy: recreate`, as
    /// `kubectl replace --force` does by hand, one step per call so that no pass waits on it:
    /// the first call GETs its full JSON, DELETEs it with a uid precondition and returns
    /// `.deleting`; later calls return `.deleting` while it is still going and CREATE it again
    /// from its own manifest (server-owned fields stripped, see `PodManifest`) with the
    /// restart-state annotations once it is gone (`.created`). The manifest is kept in memory in
    /// between: if the process dies there, the pod is lost, as with `kubectl replace --force`.
    ///
    /// Only for pods without a controller. `deletionTimeout` defaults to the pod's
    /// terminationGracePeriodSeconds + 60 s; when the old pod outlives it, nothing is created and
    /// `RestartError.deletionTimedOut` is thrown (the caller reports it).
    public func recreateStep(_ decision: Decision, pod: ObjectRef, now: Timestamp, deletionTimeout: Double? = nil) async throws -> RecreationStep {
        let id = decision.workload
        if let pending = recreations.withLock({ $0[id] }) {
            return try await finishRecreation(pending, id: id)
        }
        guard let deadline = decision.deadline else { throw RestartError.missingDeadline(pod) }
        let namespace = pod.namespace ?? decision.workload.namespace
        var metadata = Self.metadata(decision)
        metadata["pod"] = "\(pod.name)"

        let source = try PodManifest.read(try await client.getRaw(ResourceDescriptor.pods.objectPath(namespace: namespace, name: pod.name)))
        if let expected = pod.uid, let actual = source.uid, expected != actual {
            throw RestartError.podChanged(pod, "its uid is \(actual) now, not \(expected): it was already replaced")
        }
        if source.hasController { throw RestartError.podChanged(pod, "it has a controller; only bare pods are recreated") }
        let manifest = PodManifest.recreation(of: source.manifest, annotations: RestartState.annotations(restartedAt: now, forDeadline: deadline))
        let body = try JSONBody.encode(manifest)
        let current = ObjectRef(kind: "Pod", namespace: namespace, name: pod.name, uid: source.uid)

        if dryRun {
            logger.info("report mode: would delete the bare pod and create it again from its own spec", metadata: metadata)
            await report(.wouldRecreate(decision, pod: current))
            return .dryRun(current)
        }

        await report(.recreationStarted(decision, pod: current))
        try await client.delete(.pods, namespace: namespace, name: pod.name, preconditionUID: source.uid)
        logger.notice("bare pod deleted; it is created again once it is gone", metadata: metadata)
        let pending = PendingRecreation(decision: decision, pod: current, body: body, deletedAt: ContinuousClock.now,
                                        timeoutSeconds: deletionTimeout ?? Double(source.gracePeriodSeconds + 60))
        recreations.withLock { $0[id] = pending }
        return try await finishRecreation(pending, id: id)  // often gone at once (no grace period)
    }

    /// The bare pods being recreated: each is stepped until it is created again or fails.
    public func runningRecreations() -> [Decision] {
        recreations.withLock { $0.values.map(\.decision) }
    }

    /// Replaces the pod with one step after another, waiting in between (a caller that may
    /// block; the reconciler steps instead). Returns the new pod.
    @discardableResult
    public func recreate(_ decision: Decision, pod: ObjectRef, now: Timestamp, deletionTimeout: Double? = nil) async throws -> ObjectRef {
        var delay = Duration.milliseconds(100)
        while true {
            switch try await recreateStep(decision, pod: pod, now: now, deletionTimeout: deletionTimeout) {
            case .created(let replacement), .dryRun(let replacement): return replacement
            case .deleting:
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
            }
        }
    }

    /// Creates the pod again once the old one is gone (404). Another pod under the same name
    /// means someone else recreated it: nothing more to do here, and creating ours would fail anyway.
    private func finishRecreation(_ pending: PendingRecreation, id: WorkloadID) async throws -> RecreationStep {
        let ref = pending.pod
        let namespace = ref.namespace ?? id.namespace
        do {
            let pod = try await client.get(Pod.self, namespace: namespace, name: ref.name)
            if let uid = ref.uid, pod.metadata.uid != uid {
                recreations.withLock { $0[id] = nil }
                throw RestartError.podChanged(ObjectRef(pod), "another pod of that name appeared while the old one was going")
            }
            if ContinuousClock.now - pending.deletedAt > .seconds(pending.timeoutSeconds) {
                recreations.withLock { $0[id] = nil }
                throw RestartError.deletionTimedOut(ref, seconds: pending.timeoutSeconds)
            }
            return .deleting
        } catch let error as APIError where error.isNotFound {
            // Gone: create it again below.
        }
        let created = try await client.create(.pods, namespace: namespace, body: pending.body)
        recreations.withLock { $0[id] = nil }
        let uid = try client.decoder.decode(CreatedObject.self, from: created).metadata.uid
        let replacement = ObjectRef(kind: "Pod", namespace: namespace, name: ref.name, uid: uid)
        // RestartCompleted is the controller's to report (it sees the new pod Ready), as for every strategy.
        logger.notice("bare pod created again", metadata: Self.metadata(pending.decision).merging(["uid": "\(uid ?? "")", "oldUID": "\(ref.uid ?? "")"]) { $1 })
        return .created(replacement)
    }
}
