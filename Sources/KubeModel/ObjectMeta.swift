/// The part of `metadata` the controller reads. Everything else is skipped when decoding.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Timestamp?
    public var deletionTimestamp: Timestamp?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?

    public init(
        name: String, namespace: String? = nil, uid: String? = nil, resourceVersion: String? = nil,
        generation: Int64? = nil, creationTimestamp: Timestamp? = nil, deletionTimestamp: Timestamp? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
    }

    /// The owner that manages this object (`controller: true`), if any.
    public var controllerOwner: OwnerReference? {
        ownerReferences?.first { $0.controller == true }
    }

    /// Whether `other` (another version of the same object) links the objects below it to the
    /// ones above as this does: the same uid and the same controller. It is all a workload
    /// reads of an object between its pods and itself (a Deployment's ReplicaSet), whose
    /// status changes with every pod that becomes ready or not.
    public func hasSameOwnerLink(as other: ObjectMeta) -> Bool {
        uid == other.uid && controllerOwner == other.controllerOwner
    }
}
