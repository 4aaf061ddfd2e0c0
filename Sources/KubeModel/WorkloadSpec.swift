/// A workload's `spec`: all fields optional (`init()` is the empty spec), kept whole in the cache
/// unless it carries a pod template (`PodTemplateSpec`).
public protocol WorkloadSpec: Codable, Hashable, Sendable {
    init()
    /// The spec as a watch cache keeps it (see `CachedMetadata`).
    var cachedForm: Self { get }
}

extension WorkloadSpec {
    public var cachedForm: Self { self }
}
