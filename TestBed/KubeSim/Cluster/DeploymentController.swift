import Foundation

/// Deployments (pkg/controller/deployment): the ReplicaSet whose template equals the
/// Deployment's (ignoring pod-template-hash) is the new one — adopted as is when it exists, else
/// created; RollingUpdate scales it up within maxSurge and old ones down within maxUnavailable
/// (reconcileNewReplicaSet / reconcileOldReplicaSets), Recreate scales old ones to zero first;
/// a paused Deployment does not roll. Status and conditions move like upstream's so that
/// `kubectl rollout status` completes.
enum DeploymentController {
    static let hashLabel = "pod-template-hash"
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    struct Owned {
        var stored: StoredObject
        var value: JSONValue
        /// Ready pods it controls right now (its status may lag behind).
        var readyPods = 0
        var specReplicas: Int { PodFacts.int(value.value(at: ["spec", "replicas"]), default: 1) }
        var statusReplicas: Int { PodFacts.int(value.value(at: ["status", "replicas"]), default: 0) }
        var available: Int { PodFacts.int(value.value(at: ["status", "availableReplicas"]), default: 0) }
        /// For scaling decisions: ready pods that will stay (at most spec.replicas of them).
        var availableNow: Int { min(readyPods, specReplicas) }
        var ready: Int { PodFacts.int(value.value(at: ["status", "readyReplicas"]), default: 0) }
        var revision: Int { Int(value.value(at: ["metadata", "annotations", revisionAnnotation])?.stringValue ?? "") ?? 0 }
        var name: String { stored.name }
    }

    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.deployments, namespace: namespace, name: name), !stored.deletionPending else { return }
        let deployment = stored.value
        let replicas = PodFacts.int(deployment.value(at: ["spec", "replicas"]), default: 1)
        let template = deployment.value(at: ["spec", "template"])
        let paused = deployment.value(at: ["spec", "paused"])?.boolValue == true
        var owned = ownedReplicaSets(of: stored, deployment: deployment, store: store)
        let wanted = PodFacts.templateIgnoring(label: hashLabel, in: template)
        var newSet = owned.first { PodFacts.templateIgnoring(label: hashLabel, in: $0.value.value(at: ["spec", "template"])) == wanted }
        var createdNew = false
        if newSet == nil && !paused {
            newSet = try createReplicaSet(for: stored, deployment: deployment, owned: owned, store: store)
            createdNew = true
            if let newSet { owned.append(newSet) }
        }
        let old = owned.filter { $0.stored.uid != newSet?.stored.uid }
        if !paused, let newSet {
            let strategy = deployment.value(at: ["spec", "strategy", "type"])?.stringValue ?? "RollingUpdate"
            if strategy == "Recreate" {
                try recreate(newSet: newSet, old: old, replicas: replicas, cluster: cluster)
            } else {
                try rollingUpdate(deployment: deployment, newSet: newSet, old: old, replicas: replicas, store: store)
            }
            try cleanUpHistory(deployment: deployment, old: old, store: store)
        }
        // Status from the ReplicaSets as their controller last reported them.
        let refreshed = ownedReplicaSets(of: stored, deployment: deployment, store: store)
        let newRefreshed = refreshed.first { $0.stored.uid == newSet?.stored.uid }
        try DeploymentStatus.write(deployment: stored, value: deployment, sets: refreshed, newSet: newRefreshed,
                                   createdNew: createdNew, paused: paused, cluster: cluster)
    }

    static func ownedReplicaSets(of owner: StoredObject, deployment: JSONValue, store: ResourceStore) -> [Owned] {
        let selector = deployment.value(at: ["spec", "selector"])
        var result: [Owned] = []
        for set in store.objects(ResourceCatalog.replicaSets, namespace: owner.namespace)
        where !set.deletionPending && PodFacts.matches(selector: selector, labels: set.labels) {
            let value = set.value
            guard PodFacts.controllerUID(value) == owner.uid else { continue }
            let ready = ReplicaSetController.ownedPods(of: set, object: value, store: store).filter(PodFacts.isReady).count
            result.append(Owned(stored: set, value: value, readyPods: ready))
        }
        return result.sorted { ($0.value.value(at: ["metadata", "creationTimestamp"])?.stringValue ?? "", $0.name)
            < ($1.value.value(at: ["metadata", "creationTimestamp"])?.stringValue ?? "", $1.name) }
    }

    private static func createReplicaSet(for owner: StoredObject, deployment: JSONValue, owned: [Owned],
                                         store: ResourceStore) throws(StatusError) -> Owned {
        let template = deployment.value(at: ["spec", "template"]) ?? [:]
        let selector = deployment.value(at: ["spec", "selector"]) ?? [:]
        let replicas = PodFacts.int(deployment.value(at: ["spec", "replicas"]), default: 1)
        let revision = (owned.map(\.revision).max() ?? 0) + 1
        let surge = DisruptionBudgetMath.scaled(deployment.value(at: ["spec", "strategy", "rollingUpdate", "maxSurge"]) ?? "25%", of: replicas)
        let maker = ReplicaSetMaker(owner: owner, ownerAPIVersion: "apps/v1", ownerKind: "Deployment", hashLabel: hashLabel)
        let annotations: JSONValue = [
            "deployment.kubernetes.io/desired-replicas": .string(String(replicas)),
            "deployment.kubernetes.io/max-replicas": .string(String(replicas + surge)),
            .init(stringLiteral: revisionAnnotation): .string(String(revision)),
        ]
        var collisions: Int64 = 0
        while true {
            let hash = TemplateHash.hash(PodFacts.templateIgnoring(label: hashLabel, in: template), collisionCount: collisions)
            let set = maker.manifest(template: template, selector: selector, hash: hash, replicas: 0, annotations: annotations)
            do {
                let created = try store.create(ResourceCatalog.replicaSets, namespace: owner.namespace, object: set)
                try store.modify(ResourceCatalog.deployments, namespace: owner.namespace, name: owner.name) { value throws(StatusError) in
                    value.set(.string(String(revision)), at: ["metadata", "annotations", revisionAnnotation])
                }
                return Owned(stored: created, value: created.value)
            } catch where error.code == 409 && collisions < 10 {
                collisions += 1  // a ReplicaSet of another template has this name: hash again (collisionCount)
            }
        }
    }

    private static func scale(_ set: Owned, to replicas: Int, store: ResourceStore) throws(StatusError) {
        guard set.specReplicas != replicas else { return }
        try store.modify(ResourceCatalog.replicaSets, namespace: set.stored.namespace, name: set.name) { value throws(StatusError) in
            value.set(.int(Int64(replicas)), at: ["spec", "replicas"])
        }
    }

    private static func rollingUpdate(deployment: JSONValue, newSet: Owned, old: [Owned], replicas: Int,
                                      store: ResourceStore) throws(StatusError) {
        let rolling = deployment.value(at: ["spec", "strategy", "rollingUpdate"])
        let maxSurge = DisruptionBudgetMath.scaled(rolling?["maxSurge"] ?? "25%", of: replicas)
        var maxUnavailable = DisruptionBudgetMath.scaledDown(rolling?["maxUnavailable"] ?? "25%", of: replicas)
        if maxSurge == 0 && maxUnavailable == 0 { maxUnavailable = 1 }
        let all = [newSet] + old
        let total = all.reduce(0) { $0 + $1.specReplicas }
        // reconcileNewReplicaSet
        if newSet.specReplicas > replicas {
            try scale(newSet, to: replicas, store: store)
        } else if newSet.specReplicas < replicas {
            let maxTotal = replicas + maxSurge
            if total < maxTotal {
                try scale(newSet, to: newSet.specReplicas + min(maxTotal - total, replicas - newSet.specReplicas), store: store)
            }
        }
        // reconcileOldReplicaSets
        let oldCount = old.reduce(0) { $0 + $1.specReplicas }
        guard oldCount > 0 else { return }
        let minAvailable = replicas - maxUnavailable
        let newUnavailable = max(0, newSet.specReplicas - newSet.availableNow)
        var budget = total - minAvailable - newUnavailable
        guard budget > 0 else { return }
        // Old pods that are not available go first (cleanupUnhealthyReplicas).
        var remaining: [String: Int] = [:]
        for set in old where set.specReplicas > 0 && budget > 0 {
            let unhealthy = max(0, set.specReplicas - set.availableNow)
            let cut = min(unhealthy, budget)
            remaining[set.name] = set.specReplicas - cut
            budget -= cut
        }
        // Then available ones while the Deployment keeps minAvailable (scaleDownOldReplicaSetsForRollingUpdate).
        let available = all.reduce(0) { $0 + $1.availableNow }
        var scaleDown = max(0, available - minAvailable)
        for set in old {
            var target = remaining[set.name] ?? set.specReplicas
            if scaleDown > 0 && target > 0 {
                let cut = min(target, scaleDown)
                target -= cut
                scaleDown -= cut
            }
            try scale(set, to: target, store: store)
        }
    }

    private static func recreate(newSet: Owned, old: [Owned], replicas: Int, cluster: SimulatedCluster) throws(StatusError) {
        for set in old where set.specReplicas > 0 { try scale(set, to: 0, store: cluster.store) }
        let oldPodsLeft = old.contains { set in
            !ReplicaSetController.ownedPods(of: set.stored, object: set.value, store: cluster.store).isEmpty
        }
        if !oldPodsLeft { try scale(newSet, to: replicas, store: cluster.store) }
    }

    /// Old ReplicaSets beyond revisionHistoryLimit (default 10) that are scaled to zero are deleted.
    private static func cleanUpHistory(deployment: JSONValue, old: [Owned], store: ResourceStore) throws(StatusError) {
        let limit = PodFacts.int(deployment.value(at: ["spec", "revisionHistoryLimit"]), default: 10)
        let idle = old.filter { $0.specReplicas == 0 && $0.statusReplicas == 0 }
        guard idle.count > limit else { return }
        for set in idle.sorted(by: { $0.revision < $1.revision }).prefix(idle.count - limit) {
            do {
                try store.delete(ResourceCatalog.replicaSets, namespace: set.stored.namespace, name: set.name)
            } catch where error.code == 404 {
                continue
            }
        }
    }
}
