/// One kind of object the simulated API server stores and serves, e.g. apps/v1 deployments.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// "" for the core group.
    public let group: String
    public let version: String
    /// The plural resource name in URLs: "pods".
    public let resource: String
    public let kind: String
    public let singular: String
    public let namespaced: Bool
    public let shortNames: [String]
    public let categories: [String]
    /// Subresources served besides the object itself ("status", "eviction", "scale").
    public let subresources: [String]
    /// Whether `metadata.generation` is set on create and bumped when the spec changes.
    public let tracksGeneration: Bool

    public init(
        group: String, version: String, resource: String, kind: String, singular: String, namespaced: Bool,
        shortNames: [String] = [], categories: [String] = [], subresources: [String] = [], tracksGeneration: Bool = false
    ) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.singular = singular
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.tracksGeneration = tracksGeneration
    }

    /// "v1" or "apps/v1".
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var listKind: String { kind + "List" }
    /// How error messages name the resource: "pods", "deployments.apps".
    public var qualifiedName: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// The store's key for this type: the same resource in another version would share it.
    public var storageKey: String { group.isEmpty ? resource : "\(group)/\(resource)" }
    public var hasStatus: Bool { subresources.contains("status") }

    public var description: String { qualifiedName }

    /// The collection path: "/api/v1/namespaces/ns/pods", "/apis/apps/v1/deployments".
    public func collectionPath(namespace: String?) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { return "\(root)/namespaces/\(namespace)/\(resource)" }
        return "\(root)/\(resource)"
    }
}
