import KubeModel

/// LIST pages and watch lines of any `ProjectedValue` (see `ProjectedDocument`).
extension ProjectedReader {
    mutating func list<Item: ProjectedValue>() throws -> ListBody<Item> {
        var meta: ListBody<Item>.Meta?
        var items: [Item] = []
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "items") {
                items = try optionalArray { try Item.read(&$0) } ?? []
            } else if key(k, is: "metadata") {
                var m = ListBody<Item>.Meta()
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
    mutating func watchLine<Object: ProjectedValue>() throws -> WatchLine<Object>? {
        var type: WatchEventType?
        var objectAt: Int?
        var event: WatchEvent<Object>?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "type") {
                let name = try string()
                guard let known = WatchEventType(rawValue: name) else { throw r.fail("unknown watch event type \(name.prefix(40))") }
                type = known
            } else if key(k, is: "object") {
                if let type, type != .error {
                    event = try watchObject(type, of: Object.self)
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
            event = try watchObject(type, of: Object.self)
            r.index = end
        }
        return WatchLine(event: event!)
    }

    private mutating func watchObject<Object: ProjectedValue>(_ type: WatchEventType, of: Object.Type) throws -> WatchEvent<Object> {
        switch type {
        case .added: return .added(try Object.read(&self))
        case .modified: return .modified(try Object.read(&self))
        case .deleted: return .deleted(try Object.read(&self))
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
