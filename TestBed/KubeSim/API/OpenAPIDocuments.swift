/// Minimal OpenAPI v3 documents: enough for kubectl to see that every served kind's PATCH
/// endpoint takes `fieldValidation`, so it validates on the server instead of downloading
/// schemas (kubectl/pkg/util/openapi queryParamVerifierV3). No schemas are served.
enum OpenAPIDocuments {
    static let hash = "KUBESIM0000000000000000000000000000000000000000000000000000000000"

    static func groupVersionPath(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// /openapi/v3
    static func root(served: [ResourceType]) -> JSONValue {
        var paths = JSONObject()
        var groupVersions: [(String, String)] = [("", "v1")]
        groupVersions += ResourceCatalog.groupVersions(of: served)
        for (group, version) in groupVersions {
            let path = groupVersionPath(group: group, version: version)
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    /// /openapi/v3/api/v1, /openapi/v3/apis/G/V
    static func document(path: String, served: [ResourceType]) -> JSONValue? {
        let parts = path.split(separator: "/").map(String.init)
        let group: String
        let version: String
        if parts.count == 2 && parts[0] == "api" {
            group = ""
            version = parts[1]
        } else if parts.count == 3 && parts[0] == "apis" {
            group = parts[1]
            version = parts[2]
        } else {
            return nil
        }
        let types = served.filter { $0.group == group && $0.version == version }
        guard !types.isEmpty else { return nil }
        var paths = JSONObject()
        for type in types {
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            let parameters: JSONValue = [
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ]
            let operation: JSONValue = [
                "operationId": .string("patch\(type.kind)"),
                "parameters": parameters,
                "responses": ["200": ["description": "OK"]],
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": gvk,
            ]
            let collection = type.collectionPath(namespace: type.namespaced ? "{namespace}" : nil)
            paths["\(collection)/{name}"] = ["patch": operation]
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths),
        ]
    }
}
