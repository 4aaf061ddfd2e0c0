import KubeModel

/// One kind's objects in a snapshot, found by owner reference.
protocol WorkloadIndex {
    func facts(of ref: OwnerReference, namespace: String) -> WorkloadFacts?
}

/// Positions in the snapshot's array (not copies: a copy retains every field). Owner
/// references carry uids; the by-name fallback (hand-built objects without one) is built
/// only when a uid is not found.
struct TypedWorkloadIndex<Object: KubeObject>: WorkloadIndex {
    let objects: [Object]
    let describe: @Sendable (Object) -> WorkloadFacts
    var byUID: [String: Int] = [:]
    let byKey = Lazy()

    final class Lazy {  // filled on first use by the one pass that owns the resolver
        var table: [String: Int]?
    }

    init(_ objects: [Object], describe: @escaping @Sendable (Object) -> WorkloadFacts) {
        self.objects = objects
        self.describe = describe
        byUID.reserveCapacity(objects.count)
        for index in objects.indices {  // by position: binding each object would copy it
            if let uid = objects[index].metadata.uid { byUID[uid] = index }
        }
    }

    func facts(of ref: OwnerReference, namespace: String) -> WorkloadFacts? {
        find(ref, namespace: namespace).map { describe(objects[$0]) }
    }

    private func find(_ ref: OwnerReference, namespace: String) -> Int? {
        if let index = byUID[ref.uid] { return index }
        if byKey.table == nil {
            var table: [String: Int] = [:]
            for index in objects.indices { table[objects[index].key] = index }
            byKey.table = table
        }
        return byKey.table?[Object.cacheKey(namespace: namespace, name: ref.name)]
    }
}
