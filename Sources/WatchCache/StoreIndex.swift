/// A secondary index an `ObjectStore` keeps in step with its entries: called under the store's
/// lock on every write, in the order of the writes, so it never disagrees with the store.
public protocol StoreIndex<Entry>: Sendable {
    associatedtype Entry
    /// `old`: the entry replaced or removed (nil for an addition); `new`: the entry stored (nil for a
    /// removal); `changed`: false when `new` is a version of `old` that changes nothing readers
    /// use (`CacheEntry.sameContent`, judged once by the store): kept, with nothing to report.
    func update(old: Entry?, new: Entry?, changed: Bool)
}
