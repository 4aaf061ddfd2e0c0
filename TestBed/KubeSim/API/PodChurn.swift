import Foundation
import Synchronization

/// Changes random pods at a steady rate (`POST /kube-sim/churn`), for measuring a controller's
/// steady state and for soaking it. Each change is, by the `Mix`'s shares: an annotation
/// `kube-sim.dev/churn` set to a counter (the default: one MODIFIED event), a label of that name
/// set, the pod's Ready condition flipped, a pod deleted whose owner's controller replaces it, or a rollout — a random
/// Deployment's pod-template annotation `kube-sim.dev/churn-rollout` set, which the simulated
/// Deployment controller rolls out pod by pod. The pods and Deployments are the ones that exist when it starts; one deleted since is skipped.
final class PodChurn: Sendable {
    /// Shares of the changes (0...1 each, the rest annotation changes).
    struct Mix: Sendable {
        var labels = 0.0
        var deletes = 0.0
        var rollouts = 0.0
        /// The pod's Ready condition flipped, as the kubelet reports a failing or recovering
        /// readiness probe: a status change the controller's pod records keep.
        var readiness = 0.0
    }

    /// Owners whose simulated controller replaces a deleted pod (a custom owner has none here).
    static let replacingOwners: Set<String> = ["ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet"]

    private let store: ResourceStore
    /// Bumped by every start and stop: a running loop ends when it no longer matches.
    private let generation = Atomic<Int>(0)
    let changes = Atomic<Int>(0)

    init(store: ResourceStore) { self.store = store }

    /// Starts changing `perSecond` pods a second (0 or less: stops).
    func start(perSecond: Double, mix: Mix = Mix()) {
        let mine = generation.add(1, ordering: .relaxed).newValue
        guard perSecond > 0 else { return }
        let all = store.objects(ResourceCatalog.pods)
        let pods = all.map { ($0.namespace, $0.name) }
        // Read only when the mix deletes pods: each pod's owner is parsed out of its stored
        // JSON, which at 150k pods takes long enough for the admin request to time out.
        let owned = mix.deletes <= 0 ? [] : all.filter { object in
            let kind = object.value.value(at: ["metadata", "ownerReferences"])?.arrayValue?.first?["kind"]?.stringValue ?? ""
            return Self.replacingOwners.contains(kind)
        }.map { ($0.namespace, $0.name) }
        let deployments = mix.rollouts <= 0 ? [] : store.objects(ResourceCatalog.deployments).map { ($0.namespace, $0.name) }
        guard !pods.isEmpty else { return }
        let interval = 1.0 / perSecond
        let thread = Thread { [self] in
            var random = SystemRandomNumberGenerator()
            var next = Date()
            while generation.load(ordering: .relaxed) == mine {
                let count = changes.add(1, ordering: .relaxed).newValue
                let draw = Double.random(in: 0..<1, using: &random)
                do {
                    if draw < mix.rollouts, let (namespace, name) = deployments.randomElement(using: &random) {
                        try store.modify(ResourceCatalog.deployments, namespace: namespace, name: name) { value in
                            value.set(.string(String(count)), at: ["spec", "template", "metadata", "annotations", "kube-sim.dev/churn-rollout"])
                        }
                    } else if draw < mix.rollouts + mix.deletes, let (namespace, name) = owned.randomElement(using: &random) {
                        try store.delete(ResourceCatalog.pods, namespace: namespace, name: name)
                    } else if draw < mix.rollouts + mix.deletes + mix.readiness {
                        let (namespace, name) = pods.randomElement(using: &random)!  // not empty: checked above
                        try store.modify(ResourceCatalog.pods, namespace: namespace, name: name, subresource: .status, Self.flipReadiness)
                    } else {
                        let (namespace, name) = pods.randomElement(using: &random)!  // not empty: checked above
                        let field = draw < mix.rollouts + mix.deletes + mix.readiness + mix.labels ? "labels" : "annotations"
                        try store.modify(ResourceCatalog.pods, namespace: namespace, name: name) { value in
                            value.set(.string(String(count)), at: ["metadata", field, "kube-sim.dev/churn"])
                        }
                    }
                } catch {
                    // Deleted since the churn started (a rollout replaced it): skipped, not an error.
                }
                next.addTimeInterval(interval)  // a steady rate, whatever one change took
                let wait = next.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
        }
        thread.name = "kube-sim-churn"
        thread.start()
    }

    /// The Ready condition's status True ↔ False (added as False when the pod has none).
    static func flipReadiness(_ pod: inout JSONValue) {
        var conditions = pod.value(at: ["status", "conditions"])?.arrayValue ?? []
        if let i = conditions.firstIndex(where: { $0.value(at: ["type"])?.stringValue == "Ready" }) {
            let ready = conditions[i].value(at: ["status"])?.stringValue == "True"
            conditions[i].set(.string(ready ? "False" : "True"), at: ["status"])
        } else {
            conditions.append(.object(JSONObject([("type", .string("Ready")), ("status", .string("False"))])))
        }
        pod.set(.array(conditions), at: ["status", "conditions"])
    }
}
