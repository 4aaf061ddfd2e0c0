import KubeModel

/// The wire form of one watch event. The `object` is decoded according to `type`: a full object
/// for ADDED/MODIFIED/DELETED, only metadata for BOOKMARK (the server sends no spec), a Status
/// for ERROR.
struct WatchLine<Object: KubeObject>: Decodable {
    struct BookmarkObject: Decodable {
        struct Meta: Decodable {
            var resourceVersion: String?
            var annotations: [String: String]?
        }
        var metadata: Meta
    }

    var event: WatchEvent<Object>

    enum CodingKeys: String, CodingKey { case type, object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let typeName = try container.decode(String.self, forKey: .type)
        guard let type = WatchEventType(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \(typeName.prefix(40))")
        }
        switch type {
        case .added: event = .added(try container.decode(Object.self, forKey: .object))
        case .modified: event = .modified(try container.decode(Object.self, forKey: .object))
        case .deleted: event = .deleted(try container.decode(Object.self, forKey: .object))
        case .error: event = .error(try container.decode(APIStatus.self, forKey: .object))
        case .bookmark:
            let object = try container.decode(BookmarkObject.self, forKey: .object)
            let end = object.metadata.annotations?["k8s.io/initial-events-end"] == "true"
            event = .bookmark(resourceVersion: object.metadata.resourceVersion ?? "", initialEventsEnd: end)
        }
    }
}
