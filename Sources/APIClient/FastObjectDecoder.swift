import KubeModel

/// The hot-path decoder: pods, pod list pages and pod watch lines are read in one pass over the
/// UTF-8 bytes straight into the projected `Pod` (`ProjectedPodReader`), skipping managedFields
/// and everything else the model does not keep, and interning strings that repeat across pods.
/// Every other type goes to `FoundationObjectDecoder`. Tests hold its output equal to
/// Foundation's on the golden objects and watch streams.
public struct FastObjectDecoder: ObjectDecoder {
    let fallback = FoundationObjectDecoder()
    let interner: StringInterner

    public init(interner: StringInterner = .shared) {
        self.interner = interner
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if T.self == ListBody<Pod>.self { return try read(bytes) { try $0.podList() } as! T }
        if T.self == WatchLine<Pod>.self {
            guard let line = try read(bytes, { try $0.podWatchLine() }) else {
                return try fallback.decode(type, from: bytes)  // ERROR lines carry a Status: rare, not hot
            }
            return line as! T
        }
        if T.self == Pod.self { return try read(bytes) { try $0.pod() } as! T }
        return try fallback.decode(type, from: bytes)
    }

    private func read<R>(_ bytes: [UInt8], _ body: (inout ProjectedPodReader) throws -> R) throws -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            try interner.withTable { table in
                var reader = ProjectedPodReader(JSONByteReader(buffer), strings: table)
                let value = try body(&reader)
                guard reader.r.peek() == 0, reader.r.index == buffer.count else { throw reader.r.fail("unexpected bytes after the value") }
                return value
            }
        }
    }
}

extension ListBody {
    init(metadata: Meta, items: [Item]) {
        self.metadata = metadata
        self.items = items
    }
}

extension WatchLine {
    init(event: WatchEvent<Object>) { self.event = event }
}

extension ProjectedPodReader {
    mutating func podList() throws -> ListBody<Pod> {
        var meta: ListBody<Pod>.Meta?
        var items: [Pod] = []
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "items") {
                items = try optionalArray { try $0.pod() } ?? []
            } else if key(k, is: "metadata") {
                var m = ListBody<Pod>.Meta()
                var firstKey = true
                while let mk = try r.nextKey(&firstKey) {
                    if key(mk, is: "resourceVersion") { m.resourceVersion = try optionalString() }
                    else if key(mk, is: "continue") { m.continue = try optionalString() }
                    else if key(mk, is: "remainingItemCount") { m.remainingItemCount = try optionalInt() }
                    else { try r.skipValue() }
                }
                meta = m
            } else {
                try r.skipValue()
            }
        }
        guard let meta else { throw missing("metadata") }
        return ListBody(metadata: meta, items: items)
    }

    /// A watch line, or nil for an ERROR event (left to Foundation, which decodes its Status).
    /// The API server writes `type` before `object`; the other order is handled by a second pass.
    mutating func podWatchLine() throws -> WatchLine<Pod>? {
        var type: WatchEventType?
        var objectAt: Int?
        var event: WatchEvent<Pod>?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "type") {
                let name = try string()
                guard let known = WatchEventType(rawValue: name) else { throw r.fail("unknown watch event type \(name.prefix(40))") }
                type = known
            } else if key(k, is: "object") {
                if let type, type != .error {
                    event = try watchObject(type)
                } else {
                    objectAt = r.index
                    try r.skipValue()
                }
            } else {
                try r.skipValue()
            }
        }
        guard let type else { throw missing("type") }
        if type == .error { return nil }
        if event == nil {
            guard let objectAt else { throw missing("object") }
            let end = r.index
            r.index = objectAt
            event = try watchObject(type)
            r.index = end
        }
        return WatchLine(event: event!)
    }

    private mutating func watchObject(_ type: WatchEventType) throws -> WatchEvent<Pod> {
        switch type {
        case .added: return .added(try pod())
        case .modified: return .modified(try pod())
        case .deleted: return .deleted(try pod())
        case .bookmark:
            var rv: String?
            var end = false
            var sawMetadata = false
            var first = true
            while let k = try r.nextKey(&first) {
                guard key(k, is: "metadata") else {
                    try r.skipValue()
                    continue
                }
                sawMetadata = true
                var firstMeta = true
                while let mk = try r.nextKey(&firstMeta) {
                    if key(mk, is: "resourceVersion") { rv = try optionalString() }
                    else if key(mk, is: "annotations") {
                        end = try optionalStringMap(sharedValues: false)?["k8s.io/initial-events-end"] == "true"
                    } else { try r.skipValue() }
                }
            }
            guard sawMetadata else { throw missing("bookmark metadata") }
            return .bookmark(resourceVersion: rv ?? "", initialEventsEnd: end)
        case .error:
            throw r.fail("ERROR events are decoded by the fallback")
        }
    }
}
