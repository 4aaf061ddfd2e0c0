/// A POST to pods/NAME/eviction, handed to the eviction handler.
public struct EvictionRequest: Sendable {
    public var namespace: String
    public var name: String
    /// The Eviction body's `deleteOptions` (preconditions, gracePeriodSeconds), if any.
    public var deleteOptions: JSONValue?
    public var dryRun: Bool

    public init(namespace: String, name: String, deleteOptions: JSONValue? = nil, dryRun: Bool = false) {
        self.namespace = namespace
        self.name = name
        self.deleteOptions = deleteOptions
        self.dryRun = dryRun
    }
}

/// Decides an eviction: throw an `StatusError` (e.g. the PDB 429) to refuse, return to accept.
/// Accepting means the handler has deleted (or marked) the pod.
public typealias EvictionHandler = @Sendable (EvictionRequest, ResourceStore) throws(StatusError) -> Void

public enum DefaultEviction {
    /// No disruption budgets: delete the pod (honouring deleteOptions preconditions and grace).
    public static let handler: EvictionHandler = { request, store throws(StatusError) in
        let options = request.deleteOptions
        let uid = options?.value(at: ["preconditions", "uid"])?.stringValue
        let version = options?.value(at: ["preconditions", "resourceVersion"])?.stringValue
        let grace = options?["gracePeriodSeconds"]?.intValue.map { Int($0) }
        guard !request.dryRun else {
            if store.get(ResourceCatalog.pods, namespace: request.namespace, name: request.name) == nil {
                throw StatusError.notFound(ResourceCatalog.pods, name: request.name)
            }
            return
        }
        try store.delete(ResourceCatalog.pods, namespace: request.namespace, name: request.name,
                         preconditionUID: uid, preconditionResourceVersion: version, gracePeriodSeconds: grace)
    }
}
