import APIClient
import Foundation
import KubeModel

/// Raw pod list pages fetched once from the server, and watch lines made from their items, so
/// decoders can be timed on the exact bytes the server sends.
struct SamplePages {
    var pages: [[UInt8]] = []
    var itemCount = 0

    static func fetch(client: KubeClient, pages: Int, pageSize: Int = 500) async throws -> SamplePages {
        var sample = SamplePages()
        var token: String?
        repeat {
            var query = [("limit", String(pageSize))]
            if let token { query.append(("continue", token)) }
            let body = try await client.getRaw(Pod.resource.collectionPath(namespace: nil), query: query)
            let page = try KubeClient.decodeListPage(Pod.self, from: body, decoder: FastObjectDecoder())
            sample.pages.append(body)
            sample.itemCount += page.items.count
            token = page.continueToken
        } while token != nil && sample.pages.count < pages
        return sample
    }

    var bytes: Int { pages.reduce(0) { $0 + $1.count } }

    /// `{"type":"MODIFIED","object":…}` for every item, re-serialised (setup only, not timed).
    func watchLines() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for page in pages {
            guard let list = try JSONSerialization.jsonObject(with: Data(page)) as? [String: Any],
                  let items = list["items"] as? [Any] else { continue }
            for item in items {
                // Unescaped slashes, as the API server writes them ("/" inside label keys and paths).
                let data = try JSONSerialization.data(withJSONObject: ["type": "MODIFIED", "object": item], options: [.withoutEscapingSlashes])
                lines.append(Array(data))
            }
        }
        return lines
    }
}
