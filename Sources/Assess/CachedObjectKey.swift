import KubeModel

/// A workload object (or an object between a pod and its workload) by kind, namespace and name:
/// what a change to a cached object names, and what an assessment depended on.
public struct CachedObjectKey: Hashable, Sendable {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public init<Object: KubeObject>(_ object: Object) {
        self.init(kind: Object.resource.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name)
    }

    init(_ ref: ObjectRef) {
        self.init(kind: ref.kind, namespace: ref.namespace ?? "", name: ref.name)
    }
}
