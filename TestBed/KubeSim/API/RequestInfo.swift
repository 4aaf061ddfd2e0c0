import HTTPServer

/// What a request asks for, parsed from its path like k8s.io/apiserver's RequestInfoFactory:
/// /api/v1/namespaces/ns/pods/name/status → verb, group "", version v1, namespace, resource, name, subresource.
struct RequestInfo: Sendable, Equatable {
    var isResourceRequest: Bool
    /// get, list, watch, create, update, patch, delete, deletecollection (or the HTTP verb lowercased).
    var verb: String
    var path: String
    var group = ""
    var version = ""
    var namespace = ""
    var resource = ""
    var subresource = ""
    var name = ""

    static func parse(_ request: HTTPRequest) -> RequestInfo {
        let path = request.path
        var info = RequestInfo(isResourceRequest: false, verb: request.method.lowercased(), path: path)
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return info }
        parts.removeFirst()
        if prefix == "apis" {
            guard parts.count >= 2 else { return info }
            info.group = parts.removeFirst()
        } else {
            guard parts.count >= 1 else { return info }
        }
        info.version = parts.removeFirst()
        guard !parts.isEmpty else { return info }
        info.isResourceRequest = true
        var watchPrefix = false
        if parts.first == "watch" {
            watchPrefix = true
            parts.removeFirst()
        }
        if parts.first == "namespaces" {
            if parts.count >= 2 { info.namespace = parts[1] }
            // /api/v1/namespaces/name[/status|/finalize] is the namespace object itself.
            if parts.count >= 3 && parts[2] != "status" && parts[2] != "finalize" { parts.removeFirst(2) }
        }
        guard !parts.isEmpty else { return info }
        info.resource = parts[0]
        if parts.count >= 2 { info.name = parts[1] }
        if parts.count >= 3 { info.subresource = parts[2] }
        if info.resource == "namespaces" && parts.count >= 2 { info.namespace = info.name }

        switch request.method {
        case "GET", "HEAD":
            let watchParam = request.query("watch").map { $0 == "true" || $0 == "1" } ?? false
            if watchPrefix || watchParam {
                info.verb = "watch"
            } else {
                info.verb = info.name.isEmpty ? "list" : "get"
            }
        case "POST": info.verb = "create"
        case "PUT": info.verb = "update"
        case "PATCH": info.verb = "patch"
        case "DELETE": info.verb = info.name.isEmpty ? "deletecollection" : "delete"
        default: info.verb = request.method.lowercased()
        }
        // A watch on one named object is a watch with a metadata.name field selector.
        return info
    }
}
