/// One change in the store, as watches deliver it.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public let kind: Kind
    /// The new state; for DELETED the last state, carrying the deletion's resourceVersion.
    public let object: StoredObject
    /// The state before the change (nil for ADDED): lets a watch with a selector turn a change
    /// that leaves the selection into DELETED, and one that enters it into ADDED.
    public let previous: StoredObject?

    public var resourceVersion: Int64 { object.resourceVersion }
    public var type: ResourceType { object.type }
}
