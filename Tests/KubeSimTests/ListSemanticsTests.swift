import Foundation
import KubeSim
import Testing
import TestSupport

/// LIST over HTTP: paging like the golden pages, selectors, 410 for an expired continue token.
@Suite("List semantics")
struct ListSemanticsTests {
    static func start(pods: Int) throws -> KubeSim {
        var objects: [JSONValue] = [["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "golden"]]]
        for i in 0..<pods {
            objects.append(["apiVersion": "v1", "kind": "Pod",
                            "metadata": ["name": .string("p\(i)"), "namespace": "golden", "labels": ["i": .string(String(i % 3))]],
                            "spec": ["nodeName": .string(i % 2 == 0 ? "node-a" : "node-b"), "containers": [["name": "c", "image": "x"]]],
                            "status": ["phase": .string(i % 4 == 0 ? "Pending" : "Running")]])
        }
        return try SimServer.start(tls: false, objects: objects)
    }

    @Test func pagesLikeTheGoldenList() throws {
        let sim = try Self.start(pods: 5)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let first = try #require(client.request("GET", "/api/v1/namespaces/golden/pods?limit=2", token: sim.adminToken))
        let page1 = try first.json()
        let golden = try JSONParser.parse(Array(try Fixtures.golden("objects/podlist-page1.json")))
        #expect(Array(page1.objectValue?.keys ?? []) == Array(golden.objectValue?.keys ?? []))
        #expect(page1["metadata"]?.objectValue?.keys == golden["metadata"]?.objectValue?.keys)
        #expect(page1.value(at: ["metadata", "remainingItemCount"])?.intValue == 3)
        // Items carry no kind/apiVersion, as in the real list.
        #expect(page1["items"]?[0]?["kind"] == nil && golden["items"]?[0]?["kind"] == nil)
        let token = try #require(page1.value(at: ["metadata", "continue"])?.stringValue)
        let decoded = try #require(Data(base64Encoded: token + String(repeating: "=", count: (4 - token.count % 4) % 4)))
        #expect(String(decoding: decoded, as: UTF8.self).hasPrefix("{\"v\":\"meta.k8s.io/v1\",\"rv\":"))
        var names = page1["items"]?.arrayValue?.compactMap { $0.value(at: ["metadata", "name"])?.stringValue } ?? []
        var next: String? = token
        while let current = next {
            let page = try #require(client.request("GET", "/api/v1/namespaces/golden/pods?limit=2&continue=\(current)", token: sim.adminToken)).json()
            names += page["items"]?.arrayValue?.compactMap { $0.value(at: ["metadata", "name"])?.stringValue } ?? []
            next = page.value(at: ["metadata", "continue"])?.stringValue
        }
        #expect(names == ["p0", "p1", "p2", "p3", "p4"])
        try sim.store.create(ResourceCatalog.pods, namespace: "golden",
                             object: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "late"], "spec": ["containers": []]])
        sim.compact()
        let expired = try #require(client.request("GET", "/api/v1/namespaces/golden/pods?limit=2&continue=\(token)", token: sim.adminToken))
        #expect(expired.status == 410)
        #expect(try expired.json()["reason"]?.stringValue == "Expired")
    }

    @Test func labelAndFieldSelectors() throws {
        let sim = try Self.start(pods: 12)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        func names(_ query: String) throws -> [String] {
            let response = try #require(client.request("GET", "/api/v1/pods?\(query)", token: sim.adminToken))
            #expect(response.status == 200, "\(query): \(response.text)")
            return try response.json()["items"]?.arrayValue?.compactMap { $0.value(at: ["metadata", "name"])?.stringValue } ?? []
        }
        #expect(try names("labelSelector=i%3D0").sorted() == ["p0", "p3", "p6", "p9"].sorted())
        #expect(try names("labelSelector=i+notin+(0,1)").count == 4)
        #expect(try names("labelSelector=i!%3D0,i").count == 8)
        #expect(try names("fieldSelector=spec.nodeName%3Dnode-a,status.phase%3DRunning").sorted() == ["p10", "p2", "p6"])
        #expect(try names("fieldSelector=metadata.name%3Dp7") == ["p7"])
        #expect(try names("fieldSelector=metadata.namespace%3Dgolden").count == 12)
        let bad = try #require(client.request("GET", "/api/v1/pods?fieldSelector=spec.bogus%3D1", token: sim.adminToken))
        #expect(bad.status == 400)
    }

    @Test func tableForKubectl() throws {
        let sim = try Self.start(pods: 2)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let response = try #require(client.request("GET", "/api/v1/namespaces/golden/pods", token: sim.adminToken,
                                                   headers: [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")]))
        let table = try response.json()
        let golden = try JSONParser.parse(Array(try Fixtures.golden("objects/podlist-table.json")))
        #expect(table["kind"] == golden["kind"])
        #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == golden["columnDefinitions"]?.arrayValue?.map { $0["name"] })
        #expect(table["rows"]?[0]?["cells"]?.arrayValue?.count == golden["rows"]?[0]?["cells"]?.arrayValue?.count)
        #expect(table["rows"]?[0]?.value(at: ["object", "kind"]) == golden["rows"]?[0]?.value(at: ["object", "kind"]))
    }
}
