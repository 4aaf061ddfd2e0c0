/// A pod's controller owner reference. A reference type so the thousands of pods of one
/// ReplicaSet share one copy in the cache.
public final class PodOwner: Sendable {
    public let apiVersion: String
    public let kind: String
    public let name: String
    public let uid: String

    public init(_ reference: OwnerReference) {
        apiVersion = reference.apiVersion
        kind = reference.kind
        name = reference.name
        uid = reference.uid
    }

    public var reference: OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: true)
    }

    func matches(_ reference: OwnerReference) -> Bool {
        reference.uid == uid && reference.name == name && reference.kind == kind && reference.apiVersion == apiVersion
    }
}
