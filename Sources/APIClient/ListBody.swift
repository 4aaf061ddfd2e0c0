/// The wire form of a LIST response (`PodList`, `DeploymentList`, …).
struct ListBody<Item: Decodable>: Decodable {
    struct Meta: Decodable {
        var resourceVersion: String?
        var `continue`: String?
        var remainingItemCount: Int?
    }

    var metadata: Meta
    var items: [Item]

    enum CodingKeys: String, CodingKey { case metadata, items }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(Meta.self, forKey: .metadata)
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}
