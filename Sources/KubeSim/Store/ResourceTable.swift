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

    /// Adds many objects at once (seeding): one sort instead of one insertion each.
    mutating func bulkLoad(_ newObjects: [StoredObject]) {
        var merged: [String: StoredObject] = [:]
        merged.reserveCapacity(keys.count + newObjects.count)
        for (key, object) in zip(keys, objects) { merged[key] = object }
        for object in newObjects { merged[object.key] = object }
        let sorted = merged.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        keys = sorted.map(\.key)
        objects = sorted.map(\.value)
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
