import KubeModel

/// What happened to one cached entry. Handlers get the entry so they can find its owners
/// (a deleted pod still names its workload).
public enum StoreChange<Object: CacheEntry>: Sendable {
    case upserted(Object)
    case deleted(Object)

    public var object: Object {
        switch self {
        case .upserted(let o), .deleted(let o): return o
        }
    }
}
