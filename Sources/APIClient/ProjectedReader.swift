import KubeModel

/// Reads an object's JSON straight into its projected model (a `Pod`, a workload object: see
/// `ProjectedValue`), field by field in one pass, skipping everything the model does not keep
/// (managedFields, env, resources, …) without building it. Mirrors the `Decodable` conformances
/// in KubeModel: required fields throw when missing, optional ones accept `null` or absence.
/// Repeating strings go through the interner.
struct ProjectedReader {
    var r: JSONByteReader
    let strings: StringInterner.Table

    init(_ r: JSONByteReader, strings: StringInterner.Table) {
        self.r = r
        self.strings = strings
    }

    func missing(_ field: String) -> FastDecodingError { r.fail("missing required field \(field)") }

    // MARK: Scalars

    mutating func string() throws -> String { try r.readString() }

    /// A string likely shared by many objects: interned when it has no escapes.
    mutating func shared() throws -> String {
        if let raw = try r.readPlainStringBytes() { return strings.intern(raw) }
        return try r.readString()
    }

    mutating func optionalString() throws -> String? { try r.takeNull() ? nil : try r.readString() }
    mutating func optionalShared() throws -> String? { try r.takeNull() ? nil : try shared() }
    mutating func optionalBool() throws -> Bool? { try r.takeNull() ? nil : try r.readBool() }
    mutating func optionalInt64() throws -> Int64? { try r.takeNull() ? nil : try r.readInt64() }

    mutating func optionalInt() throws -> Int? {
        guard let v = try optionalInt64() else { return nil }
        guard let i = Int(exactly: v) else { throw r.fail("integer out of range") }
        return i
    }

    mutating func optionalTimestamp() throws -> Timestamp? {
        if try r.takeNull() { return nil }
        let text = try r.readString()
        guard let value = Timestamp(rfc3339: text) else { throw r.fail("not an RFC 3339 time: \(text.prefix(64))") }
        return value
    }

    /// `{"k": "v", …}` with shared keys; values interned only when `sharedValues`.
    mutating func optionalStringMap(sharedValues: Bool) throws -> [String: String]? {
        if try r.takeNull() { return nil }
        var map: [String: String] = [:]
        var first = true
        while let key = try r.nextKey(&first) {
            let name = key.escaped
                ? try r.keyString(key)
                : strings.intern(UnsafeBufferPointer(rebasing: r.bytes[key.start..<(key.start + key.count)]))
            map[name] = sharedValues ? try shared() : try string()
        }
        return map
    }

    /// `[…]` of `element`, or nil for null.
    mutating func optionalArray<T>(_ element: (inout ProjectedReader) throws -> T) throws -> [T]? {
        if try r.takeNull() { return nil }
        var items: [T] = []
        var first = true
        while try r.nextElement(&first) { items.append(try element(&self)) }
        return items
    }

    /// `null` or an object (for optional nested structs).
    mutating func optionalObject<T>(_ read: (inout ProjectedReader) throws -> T) throws -> T? {
        try r.takeNull() ? nil : try read(&self)
    }

    /// `null` or a `ProjectedValue` (an optional nested struct).
    mutating func optional<T: ProjectedValue>(_ type: T.Type) throws -> T? {
        try optionalObject { try T.read(&$0) }
    }

    /// The members of an object: `field` reads the value of each key it knows and answers true;
    /// the values of the others are skipped.
    mutating func fields(_ field: (inout ProjectedReader, JSONByteReader.Key) throws -> Bool) throws {
        var first = true
        while let k = try r.nextKey(&first) {
            if try !field(&self, k) { try r.skipValue() }
        }
    }

    func key(_ key: JSONByteReader.Key, is name: StaticString) -> Bool { r.key(key, is: name) }

    // MARK: Pod

    mutating func pod() throws -> Pod {
        var metadata: ObjectMeta?
        var spec: PodSpec?
        var status: PodStatus?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "metadata") { metadata = try objectMeta() }
            else if key(k, is: "spec") { spec = try optionalObject { try $0.podSpec() } }
            else if key(k, is: "status") { status = try optionalObject { try $0.podStatus() } }
            else { try r.skipValue() }
        }
        guard let metadata else { throw missing("metadata") }
        return Pod(metadata: metadata, spec: spec ?? PodSpec(), status: status)
    }

    mutating func objectMeta() throws -> ObjectMeta {
        var name: String?
        var m = ObjectMeta(name: "")
        var first = true
        while let k = try r.nextKey(&first) {
            switch k.count {
            case 4 where key(k, is: "name"): name = try string()
            case 3 where key(k, is: "uid"): m.uid = try optionalString()
            case 6 where key(k, is: "labels"): m.labels = try optionalStringMap(sharedValues: true)
            case 9 where key(k, is: "namespace"): m.namespace = try optionalShared()
            case 10 where key(k, is: "generation"): m.generation = try optionalInt64()
            case 11 where key(k, is: "annotations"): m.annotations = try optionalStringMap(sharedValues: false)
            case 15 where key(k, is: "resourceVersion"): m.resourceVersion = try optionalString()
            case 15 where key(k, is: "ownerReferences"): m.ownerReferences = try optionalArray { try $0.ownerReference() }
            case 17 where key(k, is: "creationTimestamp"): m.creationTimestamp = try optionalTimestamp()
            case 17 where key(k, is: "deletionTimestamp"): m.deletionTimestamp = try optionalTimestamp()
            default: try r.skipValue()
            }
        }
        guard let name else { throw missing("metadata.name") }
        m.name = name
        return m
    }

    mutating func ownerReference() throws -> OwnerReference {
        var apiVersion: String?, kind: String?, name: String?, uid: String?, controller: Bool?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "apiVersion") { apiVersion = try shared() }
            else if key(k, is: "kind") { kind = try shared() }
            else if key(k, is: "name") { name = try shared() }
            else if key(k, is: "uid") { uid = try shared() }
            else if key(k, is: "controller") { controller = try optionalBool() }
            else { try r.skipValue() }
        }
        guard let apiVersion, let kind, let name, let uid else { throw missing("ownerReferences[].apiVersion/kind/name/uid") }
        return OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: controller)
    }
}
