/// Discovery documents generated from the served resource types, shaped like the golden ones:
/// legacy (/api, /apis, /api/v1, /apis/G/V) and aggregated (apidiscovery.k8s.io/v2), plus /version.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    static let version: JSONValue = [
        "major": "1", "minor": "32", "emulationMajor": "1", "emulationMinor": "32",
        "minCompatibilityMajor": "1", "minCompatibilityMinor": "31",
        "gitVersion": "v1.32.0-kubesim", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0",
        "compiler": "gc", "platform": "linux/amd64",
    ]

    static func apiVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func apiGroupList(served: [ResourceType]) -> JSONValue {
        let groups: [JSONValue] = ResourceCatalog.groupVersions(of: served).map { group, version in
            let gv: JSONValue = ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
            return ["name": .string(group), "versions": [gv], "preferredVersion": gv]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func verbs(_ type: ResourceType) -> [String] {
        type.resource == "namespaces"
            ? ["create", "delete", "get", "list", "patch", "update", "watch"]
            : ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    }

    /// /api/v1 or /apis/G/V (nil when not served).
    static func resourceList(group: String, version: String, served: [ResourceType]) -> JSONValue? {
        let types = served.filter { $0.group == group && $0.version == version }
        guard !types.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for type in types.sorted(by: { $0.resource < $1.resource }) {
            var entry: JSONObject = [
                "name": .string(type.resource), "singularName": .string(type.singular),
                "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                "verbs": .array(verbs(type).map { .string($0) }),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
            resources.append(.object(entry))
            for sub in type.subresources.sorted() {
                var subEntry: JSONObject = ["name": .string("\(type.resource)/\(sub)"), "singularName": "",
                                            "namespaced": .bool(type.namespaced)]
                if sub == "scale" {
                    subEntry["group"] = "autoscaling"
                    subEntry["version"] = "v1"
                    subEntry["kind"] = "Scale"
                    subEntry["verbs"] = ["get", "patch", "update"]
                } else if sub == "eviction" {
                    subEntry["group"] = "policy"
                    subEntry["version"] = "v1"
                    subEntry["kind"] = "Eviction"
                    subEntry["verbs"] = ["create"]
                } else {
                    subEntry["kind"] = .string(type.kind)
                    subEntry["verbs"] = ["get", "patch", "update"]
                }
                resources.append(.object(subEntry))
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ]
    }

    /// The aggregated document for /api (core) or /apis (groups).
    static func aggregated(core: Bool, served: [ResourceType]) -> JSONValue {
        var items: [JSONValue] = []
        let groupVersions: [(String, String)] = core ? [("", "v1")] : ResourceCatalog.groupVersions(of: served)
        for (group, version) in groupVersions {
            let types = served.filter { $0.group == group && $0.version == version }
            let resources: [JSONValue] = types.sorted(by: { $0.resource < $1.resource }).map { type in
                var entry: JSONObject = [
                    "resource": .string(type.resource),
                    "responseKind": ["group": "", "version": "", "kind": .string(type.kind)],
                    "scope": .string(type.namespaced ? "Namespaced" : "Cluster"),
                    "singularResource": .string(type.singular),
                    "verbs": .array(verbs(type).map { .string($0) }),
                ]
                if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
                if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
                let subs: [JSONValue] = type.subresources.sorted().map { sub in
                    if sub == "scale" {
                        return ["subresource": "scale",
                                "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                                "verbs": ["get", "patch", "update"]]
                    }
                    if sub == "eviction" {
                        return ["subresource": "eviction",
                                "responseKind": ["group": "policy", "version": "v1", "kind": "Eviction"], "verbs": ["create"]]
                    }
                    return ["subresource": .string(sub), "responseKind": ["group": "", "version": "", "kind": .string(type.kind)],
                            "verbs": ["get", "patch", "update"]]
                }
                if !subs.isEmpty { entry["subresources"] = .array(subs) }
                return .object(entry)
            }
            let metadata: JSONValue = core ? ["creationTimestamp": nil] : ["name": .string(group), "creationTimestamp": nil]
            items.append([
                "metadata": metadata,
                "versions": [["version": .string(version), "resources": .array(resources), "freshness": "Current"]],
            ])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:], "items": .array(items)]
    }
}
