import Foundation

/// One page of a LIST.
public struct ListPage: Sendable {
    public var objects: [StoredObject]
    /// The list's resourceVersion (of the snapshot it was read from).
    public var resourceVersion: Int64
    /// Opaque token for the next page; nil on the last page.
    public var continueToken: String?
    /// How many objects follow (only without selectors, as upstream).
    public var remainingItemCount: Int?
}

extension ResourceStore {
    /// A LIST with selectors and paging. The first page of a paged list pins a snapshot; later
    /// pages (by `continueToken`) read the same snapshot. A token older than the history gets 410.
    public func list(
        _ type: ResourceType, namespace: String? = nil, labelSelector: LabelSelector = LabelSelector(),
        fieldSelector: FieldSelector = FieldSelector(), limit: Int? = nil, continueToken: String? = nil
    ) throws(StatusError) -> ListPage {
        var startKey = ""
        let table: ResourceTable
        let version: Int64
        condition.lock()
        if let continueToken {
            guard let token = ContinueToken.decode(continueToken) else {
                condition.unlock()
                throw StatusError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            guard token.resourceVersion >= history.floor else {
                condition.unlock()
                throw StatusError.continueExpired
            }
            startKey = token.startKey
            version = token.resourceVersion
            table = snapshots.table(type: type.storageKey, version: version) ?? tables[type.storageKey] ?? ResourceTable()
        } else {
            version = history.newest
            table = tables[type.storageKey] ?? ResourceTable()
            if let limit, limit > 0, table.count > limit {
                snapshots.remember(type: type.storageKey, version: version, table: table)
            }
        }
        condition.unlock()

        let range = table.range(namespace: type.namespaced ? namespace ?? "" : "")
        var index = startKey.isEmpty ? range.lowerBound : max(range.lowerBound, table.lowerBound(startKey))
        let pageLimit = (limit ?? 0) > 0 ? limit! : Int.max
        var page: [StoredObject] = []
        let filtered = !labelSelector.isEmpty || !fieldSelector.isEmpty
        while index < range.upperBound && page.count < pageLimit {
            let object = table.objects[index]
            index += 1
            if filtered && !(labelSelector.matches(object.labels) && fieldSelector.matches(object.fields)) { continue }
            page.append(object)
        }
        // More only if a matching object remains.
        var hasMore = false
        if page.count == pageLimit {
            var probe = index
            while probe < range.upperBound {
                let object = table.objects[probe]
                if !filtered || (labelSelector.matches(object.labels) && fieldSelector.matches(object.fields)) {
                    hasMore = true
                    break
                }
                probe += 1
            }
        }
        guard hasMore, let last = page.last else {
            return ListPage(objects: page, resourceVersion: version, continueToken: nil, remainingItemCount: nil)
        }
        let token = ContinueToken(resourceVersion: version, startKey: last.key + "\u{0}").encoded
        return ListPage(objects: page, resourceVersion: version, continueToken: token,
                        remainingItemCount: filtered ? nil : range.upperBound - index)
    }
}

/// The continue token of k8s.io/apiserver/pkg/storage: base64url of
/// {"v":"meta.k8s.io/v1","rv":N,"start":"/ns/name\u0000"}.
struct ContinueToken {
    var resourceVersion: Int64
    /// The store key to resume at (inclusive).
    var startKey: String

    var encoded: String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string("/" + startKey)]
        return Data(JSONSerializer.serialize(json)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> ContinueToken? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(data))
        } catch {
            return nil
        }
        guard value["v"]?.stringValue == "meta.k8s.io/v1", let version = value["rv"]?.intValue,
            let start = value["start"]?.stringValue, start.hasPrefix("/")
        else { return nil }
        return ContinueToken(resourceVersion: version, startKey: String(start.dropFirst()))
    }
}
