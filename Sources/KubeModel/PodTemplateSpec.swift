/// A workload spec that carries a pod template: the cache trims the template's annotations too.
public protocol PodTemplateSpec: WorkloadSpec {
    var template: PodTemplate? { get set }
}

extension PodTemplateSpec {
    public var cachedForm: Self {
        var kept = self
        kept.template = CachedMetadata.template(template)
        return kept
    }
}
