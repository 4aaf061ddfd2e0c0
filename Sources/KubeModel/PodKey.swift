/// A pod's cache key. Two strings the record already holds, so keying costs no allocation
/// (a joined `namespace/name` string would be one more heap object per pod).
public struct PodKey: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}
