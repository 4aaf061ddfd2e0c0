/// Identifies a workload within one assessment: kind, namespace and name.
public struct WorkloadID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: WorkloadKind
    public var namespace: String
    public var name: String

    public init(kind: WorkloadKind, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `Deployment/shop/web`.
    public var description: String { "\(kind.kindName)/\(namespace)/\(name)" }

    public static func < (a: WorkloadID, b: WorkloadID) -> Bool {
        (a.namespace, a.kind.kindName, a.name) < (b.namespace, b.kind.kindName, b.name)
    }
}
