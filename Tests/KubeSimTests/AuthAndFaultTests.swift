import Foundation
import KubeSim
import Testing
import TestSupport

/// Tokens (expiry, rotation, revocation), RBAC-like rules, the request log, and injected faults.
@Suite("Auth and faults")
struct AuthAndFaultTests {
    static func start() throws -> KubeSim {
        try SimServer.start(tls: false, objects: [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]],
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "team"], "spec": ["containers": []]],
        ])
    }

    @Test func tokensExpireRotateAndRevoke() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        sim.addToken("old", user: "system:serviceaccount:team:app", rules: nil, expiresAt: Date().addingTimeInterval(3600))
        sim.addToken("expired", user: "system:serviceaccount:team:app", rules: nil, expiresAt: Date().addingTimeInterval(-1))
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: "old")?.status == 200)
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: "expired")?.status == 401)
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: nil)?.status == 401)
        #expect(sim.rotateToken("old", to: "new"))
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: "old")?.status == 401)
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: "new")?.status == 200)
        sim.revokeToken("new")
        #expect(client.request("GET", "/api/v1/namespaces/team/pods", token: "new")?.status == 401)
        // Discovery needs a valid token too; /version and health checks do not.
        #expect(client.request("GET", "/api", token: "new")?.status == 401)
        #expect(client.request("GET", "/version", token: nil)?.status == 200)
        #expect(client.request("GET", "/readyz", token: nil)?.status == 200)
    }

    @Test func rulesGrantVerbsResourcesSubresourcesAndNamespaces() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        sim.addToken("warden", user: "system:serviceaccount:ops:token-warden", rules: [
            PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"]),
            PolicyRule(apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"]),
            PolicyRule(apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"], namespaces: ["ops"]),
        ])
        let client = try RawHTTPClient(port: sim.port)
        #expect(client.request("GET", "/api/v1/pods", token: "warden")?.status == 200)
        #expect(client.request("GET", "/api/v1/pods?watch=1&timeoutSeconds=1", token: "warden")?.status == 200)
        let delete = try #require(client.request("DELETE", "/api/v1/namespaces/team/pods/p", token: "warden"))
        #expect(delete.status == 403)
        #expect(try delete.json()["message"]?.stringValue
            == "pods \"p\" is forbidden: User \"system:serviceaccount:ops:token-warden\" cannot delete resource \"pods\" in API group \"\" in the namespace \"team\"")
        let status = try #require(client.request("PATCH", "/api/v1/namespaces/team/pods/p/status", token: "warden",
                                                 headers: [("Content-Type", "application/merge-patch+json")], body: Array("{}".utf8)))
        #expect(try status.json()["message"]?.stringValue?.contains("cannot patch resource \"pods/status\"") == true)
        #expect(client.request("GET", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/x", token: "warden")?.status == 404)
        #expect(client.request("GET", "/apis/coordination.k8s.io/v1/namespaces/team/leases/x", token: "warden")?.status == 403)
        let eviction = Array(#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"team"}}"#.utf8)
        #expect(client.request("POST", "/api/v1/namespaces/team/pods/p/eviction", token: "warden", body: eviction)?.status == 201)

        let log = sim.requestLog.all.filter { $0.user == "system:serviceaccount:ops:token-warden" }
        #expect(log.map(\.verb) == ["list", "watch", "delete", "patch", "get", "get", "create"])
        #expect(log.map(\.code) == [200, 200, 403, 403, 404, 403, 201])
        #expect(log.last?.subresource == "eviction")
        #expect(log.last?.resource == "pods")
    }

    @Test func injectedErrorsLatencyAndRestart() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        sim.faults.inject(.init(code: 429, count: 2, verbs: ["list"], retryAfterSeconds: 3))
        let throttled = try #require(client.request("GET", "/api/v1/pods", token: sim.adminToken))
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "3")
        #expect(try throttled.json()["reason"]?.stringValue == "TooManyRequests")
        #expect(client.request("GET", "/api/v1/namespaces/team/pods/p", token: sim.adminToken)?.status == 200)
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken)?.status == 429)
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken)?.status == 200)
        sim.faults.inject(.init(code: 503, count: 1))
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken)?.status == 503)
        sim.faults.inject(.init(code: 500, count: 1, resources: ["pods"]))
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken)?.status == 500)
        sim.faults.latency = 0.05
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken)?.status == 200)
        sim.faults.clear()
        // A restart closes the connection; the state survives.
        sim.restart()
        #expect(client.request("GET", "/api/v1/pods", token: sim.adminToken) == nil)
        let again = try RawHTTPClient(port: sim.port)
        #expect(again.request("GET", "/api/v1/namespaces/team/pods/p", token: sim.adminToken)?.status == 200)
    }

    @Test func adminEndpointsControlARunningServer() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let admin = sim.adminToken
        let fault = Array(#"{"code":429,"count":1,"verbs":["list"],"retryAfterSeconds":4}"#.utf8)
        #expect(client.request("POST", "/kube-sim/faults", token: admin, body: fault)?.status == 200)
        #expect(client.request("GET", "/api/v1/pods", token: admin)?.header("Retry-After") == "4")
        let token = Array(#"{"token":"ro","user":"viewer","rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["list"]}]}"#.utf8)
        #expect(client.request("POST", "/kube-sim/tokens", token: admin, body: token)?.status == 200)
        #expect(client.request("GET", "/api/v1/pods", token: "ro")?.status == 200)
        #expect(client.request("POST", "/kube-sim/compact", token: "ro")?.status == 403, "admin only")
        #expect(client.request("DELETE", "/kube-sim/tokens/ro", token: admin)?.status == 200)
        #expect(client.request("GET", "/api/v1/pods", token: "ro")?.status == 401)
        let log = try #require(client.request("GET", "/kube-sim/requests", token: admin))
        #expect(log.text.contains(#""user":"viewer""#))
    }

    /// A write naming the object's uid only lands on that object: a patch naming another uid (the
    /// pod was replaced under the same name) is 422 "field is immutable" as ValidateObjectMetaUpdate
    /// answers, a PUT's uid is a precondition (409), and with no object at all the patch is 404.
    @Test func uidInAWriteGuardsAgainstAReplacedObject() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let token = sim.adminToken
        let pod = try #require(sim.store.get(ResourceCatalog.pods, namespace: "team", name: "p"))
        func patch(uid: String) throws -> RawHTTPClient.Response {
            try #require(client.request("PATCH", "/api/v1/namespaces/team/pods/p", token: token,
                                        headers: [("Content-Type", "application/merge-patch+json")],
                                        body: Array(#"{"metadata":{"uid":"\#(uid)","annotations":{"a":"1"}}}"#.utf8)))
        }
        let wrong = try patch(uid: "0000-other")
        #expect(wrong.status == 422)
        #expect(try wrong.json()["message"]?.stringValue == #"Pod "p" is invalid: metadata.uid: Invalid value: "0000-other": field is immutable"#)
        #expect(sim.store.get(ResourceCatalog.pods, namespace: "team", name: "p")?.value.value(at: ["metadata", "annotations", "a"]) == nil)
        let right = try patch(uid: pod.uid)
        #expect(right.status == 200)
        #expect(try right.json().value(at: ["metadata", "annotations", "a"])?.stringValue == "1")

        var replaced = try #require(client.request("GET", "/api/v1/namespaces/team/pods/p", token: token)).json()
        replaced.set(.string("0000-other"), at: ["metadata", "uid"])
        let put = try #require(client.request("PUT", "/api/v1/namespaces/team/pods/p", token: token, body: Array(replaced.description.utf8)))
        #expect(put.status == 409)
        #expect(put.text.contains("Precondition failed: UID in precondition: 0000-other"))

        #expect(client.request("DELETE", "/api/v1/namespaces/team/pods/p?gracePeriodSeconds=0", token: token)?.status == 200)
        #expect(try patch(uid: pod.uid).status == 404)
    }

    @Test func writesOverHTTP() throws {
        let sim = try Self.start()
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let token = sim.adminToken
        let body = Array(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"a"}]}}},"status":{"replicas":9}}"#.utf8)
        let created = try #require(client.request("POST", "/apis/apps/v1/namespaces/team/deployments", token: token, body: body))
        #expect(created.status == 201)
        #expect(try created.json()["status"] == [:], "a client's status is dropped on create")
        // kubectl rollout restart's patch bumps the generation.
        let restart = Array(#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-23T18:37:01Z"}}}}}"#.utf8)
        let patched = try #require(client.request("PATCH", "/apis/apps/v1/namespaces/team/deployments/d", token: token,
                                                  headers: [("Content-Type", "application/strategic-merge-patch+json")], body: restart))
        #expect(try patched.json().value(at: ["metadata", "generation"])?.intValue == 2)
        let status = try #require(client.request("PATCH", "/apis/apps/v1/namespaces/team/deployments/d/status", token: token,
                                                 headers: [("Content-Type", "application/merge-patch+json")],
                                                 body: Array(#"{"status":{"observedGeneration":2}}"#.utf8)))
        #expect(try status.json().value(at: ["status", "observedGeneration"])?.intValue == 2)
        let jsonPatch = try #require(client.request("PATCH", "/apis/apps/v1/namespaces/team/deployments/d", token: token,
                                                    headers: [("Content-Type", "application/json-patch+json")],
                                                    body: Array(#"[{"op":"test","path":"/spec/replicas","value":5}]"#.utf8)))
        #expect(jsonPatch.status == 422)
        let deleted = try #require(client.request("DELETE", "/apis/apps/v1/namespaces/team/deployments/d", token: token))
        #expect(deleted.status == 200)
        #expect(try deleted.json()["status"]?.stringValue == "Success")
        let collection = try #require(client.request("DELETE", "/api/v1/namespaces/team/pods", token: token))
        #expect(collection.status == 200)
        #expect(sim.store.count(ResourceCatalog.pods) == 0)
    }
}
