import KubeModel

/// What happened to one cached entry. Handlers get the entry so they can find its owners
/// (a deleted pod still names its workload).
public enum StoreChange<Object: CacheEntry>: Sendable {
    /// Added (`previous` nil) or modified: the entry now, and the one it replaced.
    case upserted(Object, previous: Object?)
    case deleted(Object)

    public var object: Object {
        switch self {
        case .upserted(let o, _), .deleted(let o): return o
        }
    }

    /// The version a modification replaced (nil: added, or deleted).
    public var previous: Object? {
        if case .upserted(_, let previous) = self { return previous }
        return nil
    }
}
