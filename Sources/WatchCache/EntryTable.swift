import KubeModel

/// Cache entries by key in one open-addressed table of the entries themselves (linear probing,
/// deletion by backward shift, so no tombstones). A `Dictionary` keeps each key beside its value:
/// for pod records that is a 32-byte `PodKey` and an 8-byte reference per slot, ~70 bytes per
/// pod at 150k pods; here a slot is the reference alone, ~14 bytes per pod. Keys are hashed and
/// compared through the entry (`CacheEntry.hashCacheKey`), which builds no key.
struct EntryTable<Object: CacheEntry> {
    private var slots: [Object?]
    private(set) var count = 0

    /// Room for `capacity` entries before the first growth.
    init(capacity: Int = 0) {
        slots = Array(repeating: nil, count: EntryTable.slotCount(for: capacity))
    }

    /// Slots for `entries` at a load of at most 3/4, a power of two (probing masks the hash).
    private static func slotCount(for entries: Int) -> Int {
        var slots = 8
        while slots / 4 * 3 < entries { slots *= 2 }
        return slots
    }

    private var mask: Int { slots.count - 1 }

    private static func home(_ hash: Int, mask: Int) -> Int { hash & mask }

    private static func hash(of object: Object) -> Int {
        var hasher = Hasher()
        object.hashCacheKey(into: &hasher)
        return hasher.finalize()
    }

    /// The slot holding `key`'s entry, or the empty slot where it would go.
    private func slot(for key: Object.CacheKey) -> (index: Int, found: Bool) {
        var index = EntryTable.home(Object.cacheKeyHash(key), mask: mask)
        while let entry = slots[index] {
            if entry.hasCacheKey(key) { return (index, true) }
            index = (index + 1) & mask
        }
        return (index, false)
    }

    /// The slot holding the entry with `object`'s key, or the empty slot where it would go.
    private func slot(sameKeyAs object: Object) -> (index: Int, found: Bool) {
        var index = EntryTable.home(EntryTable.hash(of: object), mask: mask)
        while let entry = slots[index] {
            if entry.hasSameCacheKey(as: object) { return (index, true) }
            index = (index + 1) & mask
        }
        return (index, false)
    }

    subscript(key: Object.CacheKey) -> Object? {
        let (index, found) = slot(for: key)
        return found ? slots[index] : nil
    }

    /// The entry with the same key as `object`.
    func entry(sameKeyAs object: Object) -> Object? {
        let (index, found) = slot(sameKeyAs: object)
        return found ? slots[index] : nil
    }

    /// Stores `object`, replacing the entry with its key; returns the replaced entry.
    @discardableResult
    mutating func upsert(_ object: Object) -> Object? {
        if (count + 1) > slots.count / 4 * 3 { grow() }
        let (index, found) = slot(sameKeyAs: object)
        let old = slots[index]
        slots[index] = object
        if !found { count += 1 }
        return found ? old : nil
    }

    /// Removes and returns the entry with `key`.
    @discardableResult
    mutating func remove(_ key: Object.CacheKey) -> Object? {
        let (index, found) = slot(for: key)
        return found ? remove(at: index) : nil
    }

    /// Removes and returns the entry with the same key as `object`.
    @discardableResult
    mutating func remove(sameKeyAs object: Object) -> Object? {
        let (index, found) = slot(sameKeyAs: object)
        return found ? remove(at: index) : nil
    }

    /// Empties `hole` and moves back each later entry of the probe run that may fill it (one
    /// whose home is not cyclically within (hole, its slot]), so every entry stays reachable.
    private mutating func remove(at index: Int) -> Object? {
        let removed = slots[index]
        slots[index] = nil
        count -= 1
        var hole = index
        var next = (index + 1) & mask
        while let entry = slots[next] {
            let home = EntryTable.home(EntryTable.hash(of: entry), mask: mask)
            // Distance from home to `next` vs from `hole` to `next`, both around the ring.
            if (next &- home) & mask >= (next &- hole) & mask {
                slots[hole] = entry
                slots[next] = nil
                hole = next
            }
            next = (next + 1) & mask
        }
        return removed
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        count = 0
        for case let entry? in old {
            var index = EntryTable.home(EntryTable.hash(of: entry), mask: mask)
            while slots[index] != nil { index = (index + 1) & mask }
            slots[index] = entry
            count += 1
        }
    }

    /// Every entry, in slot order.
    var values: [Object] {
        var out: [Object] = []
        out.reserveCapacity(count)
        for case let entry? in slots { out.append(entry) }
        return out
    }

    /// Calls `body` with every entry, in slot order.
    func forEach(_ body: (Object) throws -> Void) rethrows {
        for case let entry? in slots { try body(entry) }
    }
}
