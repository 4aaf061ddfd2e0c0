import Foundation
import KubeSim
import Testing
import TestSupport

/// The simulator answers the requests behind each captured error with the same HTTP status and
/// the same Status object (reason, code, message, details).
@Suite("Golden errors")
struct GoldenErrorTests {
    static func golden(_ name: String) throws -> (code: Int, status: JSONValue) {
        let code = try Fixtures.goldenStatusCode("errors/\(name).headers")
        let status = try JSONParser.parse(Array(try Fixtures.golden("errors/\(name).json")))
        return (code, status)
    }

    static func lease(_ name: String = "token-warden") -> [UInt8] {
        Array("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"\(name)","namespace":"golden"},
             "spec":{"holderIdentity":"a","leaseDurationSeconds":15}}
            """.utf8)
    }

    static func start() throws -> KubeSim {
        try SimServer.start(tls: false, objects: [["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "golden"]]])
    }

    func expectGolden(_ name: String, _ response: RawHTTPClient.Response?) throws {
        let expected = try Self.golden(name)
        let response = try #require(response)
        #expect(response.status == expected.code, "\(name): \(response.text)")
        #expect(response.header("Content-Type") == "application/json")
        #expect(try response.json() == expected.status, "\(name): \(response.text)")
    }

    @Test func authErrors() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        sim.addToken("limited-token", user: "system:serviceaccount:golden:limited", rules: [])
        let client = try RawHTTPClient(port: sim.port)
        try expectGolden("401-unauthorized", client.request("GET", "/api/v1/pods", token: "wrong"))
        try expectGolden("403-forbidden-cluster-pods", client.request("GET", "/api/v1/pods", token: "limited-token"))
        try expectGolden("403-forbidden-list-secrets",
                         client.request("GET", "/api/v1/namespaces/golden/secrets", token: "limited-token"))
    }

    @Test func objectErrors() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let token = sim.adminToken
        let client = try RawHTTPClient(port: sim.port)
        try expectGolden("404-not-found", client.request("GET", "/apis/apps/v1/namespaces/golden/deployments/nope", token: token))
        let created = try #require(client.request("POST", "/apis/coordination.k8s.io/v1/namespaces/golden/leases",
                                                  token: token, body: Self.lease()))
        #expect(created.status == 201)
        try expectGolden("409-already-exists", client.request("POST", "/apis/coordination.k8s.io/v1/namespaces/golden/leases",
                                                              token: token, body: Self.lease()))
        // A PUT with the first resourceVersion after someone else's write.
        var stale = try created.json()
        let renewed = client.request("PATCH", "/apis/coordination.k8s.io/v1/namespaces/golden/leases/token-warden", token: token,
                                     headers: [("Content-Type", "application/merge-patch+json")],
                                     body: Array(#"{"spec":{"holderIdentity":"b"}}"#.utf8))
        #expect(renewed?.status == 200)
        stale.set("c", at: ["spec", "holderIdentity"])
        try expectGolden("409-conflict-stale-resourceversion",
                         client.request("PUT", "/apis/coordination.k8s.io/v1/namespaces/golden/leases/token-warden",
                                        token: token, body: JSONSerializer.serialize(stale)))
        try expectGolden("415-unsupported-patch-type",
                         client.request("PATCH", "/apis/coordination.k8s.io/v1/namespaces/golden/leases/token-warden", token: token,
                                        headers: [("Content-Type", "text/plain")], body: Array("x".utf8)))
        try expectGolden("400-bad-patch",
                         client.request("PATCH", "/apis/coordination.k8s.io/v1/namespaces/golden/leases/token-warden", token: token,
                                        headers: [("Content-Type", "application/strategic-merge-patch+json")],
                                        body: Array("{not json}".utf8)))
        try expectGolden("422-invalid", client.request("POST", "/api/v1/namespaces", token: token,
                                                       body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Bad_Name"}}"#.utf8)))
    }

    @Test func eventsAsCreated() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let core = Array(#"{"apiVersion":"v1","kind":"Event","metadata":{"generateName":"web.","namespace":"golden"},"involvedObject":{"kind":"Deployment","namespace":"golden","name":"web","apiVersion":"apps/v1"},"reason":"TokenExpiringSoon","message":"example","source":{"component":"token-warden"},"firstTimestamp":"2026-11-23T10:00:00Z","lastTimestamp":"2026-11-23T10:00:00Z","count":1,"type":"Warning"}"#.utf8)
        let created = try #require(client.request("POST", "/api/v1/namespaces/golden/events", token: sim.adminToken, body: core))
        #expect(created.status == 201)
        var golden = try JSONParser.parse(Array(try Fixtures.golden("objects/event-core-v1-created.json")))
        var served = try created.json()
        #expect(served.value(at: ["metadata", "name"])?.stringValue?.hasPrefix("web.") == true)
        for field in ["name", "uid", "resourceVersion", "creationTimestamp", "managedFields"] {
            golden.remove(at: ["metadata", field])
            served.remove(at: ["metadata", field])
        }
        #expect(served == golden)
        // events.k8s.io/v1 rejects the same generateName (golden: 422).
        let v1 = Array(#"{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"generateName":"web.","namespace":"golden"},"regarding":{"kind":"Deployment","name":"web"},"reason":"TokenExpiringSoon","note":"example","type":"Warning","action":"Restart","reportingController":"token-warden.dev/controller","reportingInstance":"x","eventTime":"2026-11-23T10:00:00.000000Z"}"#.utf8)
        let rejected = try #require(client.request("POST", "/apis/events.k8s.io/v1/namespaces/golden/events", token: sim.adminToken, body: v1))
        let expected = try JSONParser.parse(Array(try Fixtures.golden("objects/event-events-v1-created.json")))
        #expect(rejected.status == 422)
        var status = try rejected.json()
        #expect(status.value(at: ["details", "name"])?.stringValue?.hasPrefix("web.") == true)
        var expectedStatus = expected
        for path in [["message"], ["details", "name"]] {
            status.remove(at: path)
            expectedStatus.remove(at: path)
        }
        #expect(status == expectedStatus)
    }

    @Test func evictionBlockedByBudgetAnd201WhenAccepted() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        try sim.load([["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "golden"],
                       "spec": ["containers": [["name": "c", "image": "x"]]]]])
        let blocked = try Self.golden("429-eviction-blocked-by-pdb")
        sim.evictionHandler = { request, _ throws(StatusError) in
            if request.name == "p" {
                throw StatusError(code: 429, reason: "TooManyRequests",
                                message: "Cannot evict pod as it would violate the pod's disruption budget.",
                                causes: [.init(reason: "DisruptionBudget", message: "The disruption budget legacy needs 1 healthy pods and has 1 currently")])
            }
        }
        let client = try RawHTTPClient(port: sim.port)
        let eviction = Array(#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"golden"}}"#.utf8)
        let response = try #require(client.request("POST", "/api/v1/namespaces/golden/pods/p/eviction", token: sim.adminToken, body: eviction))
        #expect(response.status == blocked.code)
        #expect(try response.json() == blocked.status)
        sim.evictionHandler = DefaultEviction.handler
        let accepted = try #require(client.request("POST", "/api/v1/namespaces/golden/pods/p/eviction", token: sim.adminToken, body: eviction))
        let golden = try JSONParser.parse(Array(try Fixtures.golden("objects/eviction-accepted.json")))
        #expect(accepted.status == 201)
        #expect(try accepted.json() == golden)
        #expect(sim.store.get(ResourceCatalog.pods, namespace: "golden", name: "p") == nil)
    }
}
