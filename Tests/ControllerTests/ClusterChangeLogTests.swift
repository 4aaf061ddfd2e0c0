import Assess
import Controller
import KubeModel
import Testing
import WatchCache

/// A workload cache tells the change log how a modified object changed: its status at most (a
/// ReplicaSet's follows its pods' readiness), or more but with its uid and controller kept, or
/// a new link (orphaned, adopted, another object of that name, deleted).
@Suite struct ClusterChangeLogTests {
    static func replicaSet(rv: String, uid: String = "uid-rs", owner: String? = "web", ready: Int = 1, labels: [String: String]? = nil) -> ReplicaSet {
        let controller = owner.map { OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: $0, uid: "uid-\($0)", controller: true) }
        return ReplicaSet(
            metadata: ObjectMeta(name: "web-7d9", namespace: "shop", uid: uid, resourceVersion: rv, labels: labels,
                                 ownerReferences: controller.map { [$0] }),
            status: ReplicaStatus(replicas: 2, readyReplicas: ready, availableReplicas: ready))
    }

    @Test func statusKeptLinkAndNewLinkAreToldApart() {
        let caches = ClusterCaches(signal: ChangeSignal())
        let key = CachedObjectKey(kind: "ReplicaSet", namespace: "shop", name: "web-7d9")
        caches.replicaSets.upsert(Self.replicaSet(rv: "1"))
        _ = caches.changes.drain()

        caches.replicaSets.upsert(Self.replicaSet(rv: "2", ready: 2))
        var drained = caches.changes.drain().changes
        #expect(drained.objectStatuses == [key] && drained.objectsKeepingLinks.isEmpty && drained.objects.isEmpty)

        caches.replicaSets.upsert(Self.replicaSet(rv: "2b", ready: 2))  // nothing the cache keeps (managed fields)
        drained = caches.changes.drain().changes
        #expect(drained.objectStatuses == [key] && drained.objectsKeepingLinks.isEmpty && drained.objects.isEmpty)

        caches.replicaSets.upsert(Self.replicaSet(rv: "3", ready: 2, labels: ["tier": "web"]))
        drained = caches.changes.drain().changes
        #expect(drained.objectsKeepingLinks == [key] && drained.objectStatuses.isEmpty && drained.objects.isEmpty)

        caches.replicaSets.upsert(Self.replicaSet(rv: "4", owner: nil))  // orphaned
        drained = caches.changes.drain().changes
        #expect(drained.objects == [key] && drained.objectsKeepingLinks.isEmpty && drained.objectStatuses.isEmpty)

        caches.replicaSets.upsert(Self.replicaSet(rv: "5", uid: "uid-rs-2", owner: nil))  // another object of that name
        drained = caches.changes.drain().changes
        #expect(drained.objects == [key] && drained.objectsKeepingLinks.isEmpty && drained.objectStatuses.isEmpty)

        caches.replicaSets.remove(Self.replicaSet(rv: "6", uid: "uid-rs-2", owner: nil))
        drained = caches.changes.drain().changes
        #expect(drained.objects == [key] && drained.objectsKeepingLinks.isEmpty && drained.objectStatuses.isEmpty)
    }
}
