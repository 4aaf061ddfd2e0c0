/// A pod's controller owner reference. A reference type so the thousands of pods of one
/// ReplicaSet share one copy in the cache.
public final class PodOwner: Sendable {
    public let apiVersion: String
    public let kind: String
    public let name: String
    /// Packed: a 36-character heap string per owner otherwise (48k owners at 150k pods).
    public let packedUID: PodUID

    public init(_ reference: OwnerReference) {
        apiVersion = reference.apiVersion
        kind = reference.kind
        name = reference.name
        packedUID = PodUID(reference.uid)
    }

    public var uid: String { packedUID.description }

    public var reference: OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: true)
    }

    func matches(_ reference: OwnerReference, uid: PodUID) -> Bool {
        uid == packedUID && reference.name == name && reference.kind == kind && reference.apiVersion == apiVersion
    }
}
