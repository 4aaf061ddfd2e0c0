import Foundation
import KubeModel

extension KubeClient {
    /// POST a new object; returns the created object's JSON.
    @discardableResult
    public func create(_ resource: ResourceDescriptor, namespace: String?, body: [UInt8]) async throws -> [UInt8] {
        let path = resource.collectionPath(namespace: namespace)
        return try await perform(Call(
            verb: "create", resource: resource.plural, method: "POST", path: path, body: body,
            contentType: "application/json")).body
    }

    /// PATCH an object (or its subresource, e.g. "status"); returns the patched object's JSON.
    /// Patches change only the fields they name, so other controllers' changes are never clobbered.
    @discardableResult
    public func patch(
        _ resource: ResourceDescriptor, namespace: String?, name: String, subresource: String? = nil,
        type: PatchType, body: [UInt8], fieldManager: String = "token-warden", dryRun: Bool = false
    ) async throws -> [UInt8] {
        var path = resource.objectPath(namespace: namespace, name: name)
        if let subresource { path += "/" + subresource }
        var query = [("fieldManager", fieldManager)]
        if dryRun { query.append(("dryRun", "All")) }
        return try await perform(Call(
            verb: "patch", resource: resource.plural, method: "PATCH", path: path, query: query, body: body,
            contentType: type.rawValue)).body
    }

    /// PATCH and decode the result.
    public func patch<T: KubeObject>(
        _ type: T.Type, namespace: String?, name: String, patchType: PatchType, body: [UInt8], dryRun: Bool = false
    ) async throws -> T {
        let bytes = try await patch(T.resource, namespace: namespace, name: name, type: patchType, body: body, dryRun: dryRun)
        return try decode(T.self, bytes, what: T.resource.kind, path: T.resource.objectPath(namespace: namespace, name: name))
    }

    /// PUT a whole object (used for Leases, whose holder must be written with optimistic concurrency).
    @discardableResult
    public func replace(_ resource: ResourceDescriptor, namespace: String?, name: String, body: [UInt8]) async throws -> [UInt8] {
        let path = resource.objectPath(namespace: namespace, name: name)
        return try await perform(Call(
            verb: "update", resource: resource.plural, method: "PUT", path: path, body: body,
            contentType: "application/json")).body
    }

    /// DELETE an object, optionally only if its uid still matches (so a replacement is never deleted).
    public func delete(_ resource: ResourceDescriptor, namespace: String?, name: String, preconditionUID: String? = nil) async throws {
        let path = resource.objectPath(namespace: namespace, name: name)
        var body: [UInt8]?
        if let preconditionUID {
            body = try JSONBody.encode(DeleteOptions(preconditions: .init(uid: preconditionUID)))
        }
        _ = try await perform(Call(
            verb: "delete", resource: resource.plural, method: "DELETE", path: path, body: body,
            contentType: body == nil ? nil : "application/json"))
    }

    /// Asks the API server to evict a pod (policy/v1 Eviction). It refuses with 429
    /// `TooManyRequests` when a PodDisruptionBudget would be violated.
    public func evict(namespace: String, pod: String, dryRun: Bool = false) async throws {
        let path = ResourceDescriptor.pods.objectPath(namespace: namespace, name: pod) + "/eviction"
        let eviction = Eviction(
            metadata: .init(name: pod, namespace: namespace),
            deleteOptions: dryRun ? DeleteOptions(dryRun: ["All"]) : nil)
        _ = try await perform(Call(
            verb: "create", resource: "pods/eviction", method: "POST", path: path,
            body: try JSONBody.encode(eviction), contentType: "application/json"))
    }
}

/// `policy/v1` Eviction as POSTed to `pods/NAME/eviction`.
struct Eviction: Encodable {
    struct Meta: Encodable {
        var name: String
        var namespace: String
    }
    var apiVersion = "policy/v1"
    var kind = "Eviction"
    var metadata: Meta
    var deleteOptions: DeleteOptions?
}

/// `meta/v1` DeleteOptions, the fields the controller uses.
struct DeleteOptions: Encodable {
    struct Preconditions: Encodable { var uid: String }
    var apiVersion = "v1"
    var kind = "DeleteOptions"
    var preconditions: Preconditions?
    var dryRun: [String]?
}
