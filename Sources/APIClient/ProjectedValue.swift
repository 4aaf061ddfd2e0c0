import KubeModel

/// A model `ProjectedReader` reads in one pass over the bytes (a pod, a workload object and the
/// parts of its spec and status), mirroring its `Decodable` conformance. `FastObjectDecoder`
/// reads these, and LIST pages and watch lines of them (`ProjectedDocument`), itself.
protocol ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self
}

extension Pod: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Pod { try reader.pod() }
}

extension WorkloadObject: ProjectedValue where Model.Spec: ProjectedValue, Model.Status: ProjectedValue {
    /// `spec` is required (and not null), `status` optional, as in the synthesized conformance.
    static func read(_ reader: inout ProjectedReader) throws -> WorkloadObject {
        var metadata: ObjectMeta?, spec: Spec?, status: Status?
        try reader.fields { reader, k in
            if reader.key(k, is: "metadata") { metadata = try reader.objectMeta() }
            else if reader.key(k, is: "spec") { spec = try Spec.read(&reader) }
            else if reader.key(k, is: "status") { status = try reader.optional(Status.self) }
            else { return false }
            return true
        }
        guard let metadata else { throw reader.missing("metadata") }
        guard let spec else { throw reader.missing("spec") }
        return WorkloadObject(metadata: metadata, spec: spec, status: status)
    }
}
