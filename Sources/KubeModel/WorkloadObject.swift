/// A workload object as the controller lists, watches and caches it: `metadata`, a `spec` and an
/// optional `status`, the kind's own shapes named by `Model` (`Deployment`, `StatefulSet`, …
/// are this type over their model). Coded as `{metadata, spec, status}`, `spec` required.
public struct WorkloadObject<Model: WorkloadModel>: KubeObject, Hashable, Sendable {
    public typealias Spec = Model.Spec
    public typealias Status = Model.Status

    public static var resource: ResourceDescriptor { Model.resource }

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec = Spec(), status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// A controller's report of progress (its pods' readiness), or a change to nothing the cache
    /// keeps (managed fields, another tool's annotation): metadata but the resourceVersion, and
    /// spec, are as they were.
    public func differsAtMostInStatus(from other: Self) -> Bool {
        var earlier = other.metadata
        earlier.resourceVersion = metadata.resourceVersion
        return spec == other.spec && metadata == earlier
    }

    /// Trimmed metadata, and the spec as the cache keeps it (a pod template's annotations trimmed too).
    public var cachedForm: Self {
        var kept = self
        kept.metadata = CachedMetadata.metadata(metadata)
        kept.spec = spec.cachedForm
        return kept
    }
}
