/// A pod's cache key. Two strings the record already holds, so keying costs no allocation
/// (a joined `namespace/name` string would be one more heap object per pod).
public struct PodKey: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    // Bytes, not `String`'s canonical equivalence: a record hashes its name in pieces (see
    // `PodRecord.hashCacheKey`), and both must agree.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        UTF8Parts.hash(name, into: &hasher)
    }

    public static func == (a: PodKey, b: PodKey) -> Bool {
        UTF8Parts.equals(a.namespace, b.namespace) && UTF8Parts.equals(a.name, b.name)
    }

    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}
