/// One object as stored: its serialized JSON (exactly what GET returns) plus the few fields the
/// store indexes. Immutable; a write replaces it. Parsing the bytes back is on demand, so 150,000
/// pods cost little more than their JSON text.
public final class StoredObject: Sendable {
    public let type: ResourceType
    /// "" for cluster-scoped objects.
    public let namespace: String
    public let name: String
    public let uid: String
    public let resourceVersion: Int64
    public let generation: Int64
    /// Compact JSON of the whole object, resourceVersion included.
    public let bytes: [UInt8]
    public let labels: [String: String]
    /// Values for field selectors: metadata.name, metadata.namespace, spec.nodeName, status.phase, ...
    public let fields: [String: String]
    public let deletionPending: Bool
    public let finalizers: [String]

    init(type: ResourceType, value: JSONValue, bytes: [UInt8]) {
        self.type = type
        let metadata = value["metadata"]
        self.namespace = metadata?["namespace"]?.stringValue ?? ""
        self.name = metadata?["name"]?.stringValue ?? ""
        self.uid = metadata?["uid"]?.stringValue ?? ""
        self.resourceVersion = Int64(metadata?["resourceVersion"]?.stringValue ?? "") ?? 0
        self.generation = metadata?["generation"]?.intValue ?? 0
        self.bytes = bytes
        var labels: [String: String] = [:]
        if let object = metadata?["labels"]?.objectValue {
            for (key, labelValue) in zip(object.keys, object.values) {
                if let text = labelValue.stringValue { labels[key] = text }
            }
        }
        self.labels = labels
        self.fields = FieldSelector.indexedFields(of: value, type: type)
        self.deletionPending = metadata?["deletionTimestamp"]?.stringValue != nil
        self.finalizers = metadata?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The object as a JSON value (parsed from the stored bytes).
    public var value: JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            // The bytes were produced by JSONSerializer from a valid value; failing here is a bug.
            preconditionFailure("stored object \(type.qualifiedName) \(namespace)/\(name) does not parse: \(error)")
        }
    }

    /// "namespace/name" (or "name"): the sort key of lists, as etcd orders keys.
    public var key: String { Self.key(namespace: namespace, name: name) }

    static func key(namespace: String, name: String) -> String {
        namespace.isEmpty ? name : "\(namespace)/\(name)"
    }
}
