/// The objects of one resource type, sorted by key ("namespace/name") like etcd's keyspace, so a
/// namespace is a contiguous range and a paged LIST is a walk from a start key. Arrays are
/// copy-on-write: a LIST snapshot is a cheap copy that later writes do not disturb.
struct ResourceTable {
    private(set) var keys: [String] = []
    private(set) var objects: [StoredObject] = []

    var count: Int { keys.count }

    func object(forKey key: String) -> StoredObject? {
        let index = lowerBound(key)
        return index < keys.count && keys[index] == key ? objects[index] : nil
    }

    /// Inserts or replaces; returns the previous object.
    @discardableResult
    mutating func put(_ object: StoredObject) -> StoredObject? {
        let key = object.key
        let index = lowerBound(key)
        if index < keys.count && keys[index] == key {
            let previous = objects[index]
            objects[index] = object
            return previous
        }
        keys.insert(key, at: index)
        objects.insert(object, at: index)
        return nil
    }

    @discardableResult
    mutating func remove(key: String) -> StoredObject? {
        let index = lowerBound(key)
        guard index < keys.count && keys[index] == key else { return nil }
        keys.remove(at: index)
        return objects.remove(at: index)
    }

    /// Adds many objects at once (seeding): sorts the batch and merges it in, linear in the table.
    /// A later object with the same key replaces an earlier one.
    mutating func bulkLoad(_ newObjects: [StoredObject]) {
        var batch: [(key: String, object: StoredObject)] = []
        batch.reserveCapacity(newObjects.count)
        for object in newObjects { batch.append((object.key, object)) }
        // Stable sort keeps input order among equal keys; the last one wins below.
        batch = batch.enumerated().sorted { lhs, rhs in
            lhs.element.key == rhs.element.key ? lhs.offset < rhs.offset
                : lhs.element.key.utf8.lexicographicallyPrecedes(rhs.element.key.utf8)
        }.map(\.element)
        var mergedKeys: [String] = []
        var mergedObjects: [StoredObject] = []
        mergedKeys.reserveCapacity(keys.count + batch.count)
        mergedObjects.reserveCapacity(keys.count + batch.count)
        var old = 0
        var new = 0
        while old < keys.count || new < batch.count {
            if new < batch.count && new + 1 < batch.count && batch[new + 1].key == batch[new].key {
                new += 1  // a later duplicate in the batch wins
                continue
            }
            if new >= batch.count || (old < keys.count && keys[old].utf8.lexicographicallyPrecedes(batch[new].key.utf8)) {
                mergedKeys.append(keys[old])
                mergedObjects.append(objects[old])
                old += 1
            } else {
                if old < keys.count && keys[old] == batch[new].key { old += 1 }  // replaced
                mergedKeys.append(batch[new].key)
                mergedObjects.append(batch[new].object)
                new += 1
            }
        }
        keys = mergedKeys
        objects = mergedObjects
    }

    /// The first index whose key is not less than `key` (byte order, as etcd compares keys).
    func lowerBound(_ key: String) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle].utf8.lexicographicallyPrecedes(key.utf8) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// Index range of a namespace ("" = all).
    func range(namespace: String) -> Range<Int> {
        guard !namespace.isEmpty else { return 0..<keys.count }
        let prefix = namespace + "/"
        let start = lowerBound(prefix)
        // "/" + 1 is "0": every key of the namespace sorts before namespace + "0".
        let end = lowerBound(namespace + "0")
        return start..<max(start, end)
    }
}
