import Foundation
import KubeSim
import Testing
import TestSupport

/// A patch whose `metadata.uid` names another object than the stored one is refused with 409,
/// as the API server's registry does: it never lands on a pod recreated under the same name.
@Suite struct PatchUIDPreconditionTests {
    @Test func mergePatchWithAnotherUIDIsAConflictAndChangesNothing() throws {
        let sim = try SimServer.start(tls: false, objects: [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]],
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-0", "namespace": "shop", "uid": "uid-now"],
             "spec": ["containers": [["name": "app", "image": "app:1"]]]],
        ])
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let path = "/api/v1/namespaces/shop/pods/web-0"
        let merge = [("Content-Type", "application/merge-patch+json")]
        let refused = try #require(client.request("PATCH", path, token: sim.adminToken, headers: merge,
                                                  body: Array(#"{"metadata":{"uid":"uid-before","annotations":{"a":"1"}}}"#.utf8)))
        #expect(refused.status == 409)
        let status = try refused.json()
        #expect(status["reason"]?.stringValue == "Conflict")
        #expect(status["message"]?.stringValue == #"Operation cannot be fulfilled on pods "web-0": StorageError: invalid object, Code: 4, Key: /registry/pods/shop/web-0, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: uid-before, UID in object meta: uid-now"#)
        #expect(sim.store.get(ResourceCatalog.pods, namespace: "shop", name: "web-0")?.value
            .value(at: ["metadata", "annotations", "a"]) == nil)

        let accepted = try #require(client.request("PATCH", path, token: sim.adminToken, headers: merge,
                                                   body: Array(#"{"metadata":{"uid":"uid-now","annotations":{"a":"1"}}}"#.utf8)))
        #expect(accepted.status == 200)
        #expect(try accepted.json().value(at: ["metadata", "annotations", "a"])?.stringValue == "1")
    }
}
