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
    /// `kubectl replace --force` does by hand: GET its full JSON, DELETE it with a uid
    /// precondition, wait until it is gone, CREATE it again from its own manifest (server-owned
    /// fields stripped, see `PodManifest`) with the restart-state annotations, which the
    /// assessment reads from the new pod. Returns the new pod.
    ///
    /// Only for pods without a controller. `deletionTimeout` defaults to the pod's
    /// terminationGracePeriodSeconds + 60 s; when the old pod outlives it, nothing is created and
    /// `RestartError.deletionTimedOut` is thrown (the caller reports it). If the process dies
    /// between the DELETE and the CREATE, the pod is lost, as with `kubectl replace --force`.
    @discardableResult
    public func recreate(_ decision: Decision, pod: ObjectRef, now: Timestamp, deletionTimeout: Double? = nil) async throws -> ObjectRef {
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
            await events.emit(WardenEvent(regarding: current, type: .normal, reason: .wouldRestart,
                                          message: "would delete this pod and create it again from its own spec: \(decision.message)",
                                          action: "Recreate"))
            return current
        }

        await events.emit(WardenEvent(regarding: current, type: .normal, reason: .restartStarted,
                                      message: "deleting this bare pod and creating it again from its own spec (token-warden.dev/strategy: recreate): \(decision.message)",
                                      action: "Recreate"))
        try await client.delete(.pods, namespace: namespace, name: pod.name, preconditionUID: source.uid)
        logger.notice("bare pod deleted; waiting for it to go", metadata: metadata)

        let limit = deletionTimeout ?? Double(source.gracePeriodSeconds + 60)
        try await waitUntilGone(namespace: namespace, name: pod.name, uid: source.uid, timeout: limit)

        let created = try await client.create(.pods, namespace: namespace, body: body)
        let uid = try client.decoder.decode(CreatedObject.self, from: created).metadata.uid
        let replacement = ObjectRef(kind: "Pod", namespace: namespace, name: pod.name, uid: uid)
        // RestartCompleted is the controller's to report (it sees the new pod Ready), as for every strategy.
        logger.notice("bare pod created again", metadata: metadata.merging(["uid": "\(uid ?? "")", "oldUID": "\(source.uid ?? "")"]) { $1 })
        return replacement
    }

    /// Polls until the pod is gone (404). Another pod under the same name means someone else
    /// recreated it: nothing more to do here, and creating ours would fail anyway.
    private func waitUntilGone(namespace: String, name: String, uid: String?, timeout: Double) async throws {
        let start = ContinuousClock.now
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let pod = try await client.get(Pod.self, namespace: namespace, name: name)
                if let uid, pod.metadata.uid != uid {
                    throw RestartError.podChanged(ObjectRef(pod), "another pod of that name appeared while the old one was going")
                }
            } catch let error as APIError where error.isNotFound {
                return
            }
            if ContinuousClock.now - start > .seconds(timeout) {
                throw RestartError.deletionTimedOut(ObjectRef(kind: "Pod", namespace: namespace, name: name, uid: uid), seconds: timeout)
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(1))
        }
    }
}
