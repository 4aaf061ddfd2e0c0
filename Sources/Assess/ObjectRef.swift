import KubeModel

/// Names an object in reports, diagnostics and Events.
public struct ObjectRef: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var kind: String
    public var namespace: String?
    public var name: String
    public var uid: String?

    public init(kind: String, namespace: String?, name: String, uid: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    public init<Object: KubeObject>(_ object: Object) {
        self.init(kind: Object.resource.kind, namespace: object.metadata.namespace, name: object.metadata.name, uid: object.metadata.uid)
    }

    public var description: String {
        if let namespace, !namespace.isEmpty { return "\(kind) \(namespace)/\(name)" }
        return "\(kind) \(name)"
    }

    public static func < (a: ObjectRef, b: ObjectRef) -> Bool {
        ((a.namespace ?? ""), a.kind, a.name, a.uid ?? "") < ((b.namespace ?? ""), b.kind, b.name, b.uid ?? "")
    }
}
