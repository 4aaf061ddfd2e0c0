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
                // Framed as the API server frames a watch event, `type` before `object` (a
                // serialized dictionary's key order is arbitrary); slashes unescaped, as it writes
                // them ("/" inside label keys and paths); keys sorted, which keeps its top-level
                // order (apiVersion, kind, metadata, spec, status).
                let object = try JSONSerialization.data(withJSONObject: item, options: [.withoutEscapingSlashes, .sortedKeys])
                lines.append(Array(#"{"type":"MODIFIED","object":"#.utf8) + Array(object) + [UInt8(ascii: "}")])
            }
        }
        return lines
    }
}
