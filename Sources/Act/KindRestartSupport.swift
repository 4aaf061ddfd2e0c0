import APIClient
import Assess
import KubeModel

/// What the executor can do with each workload kind, read from the kind's registry entry
/// (`WorkloadKindRegistry`): where it lives, the patch that restarts it, what blocks that.
struct KindRestartSupport: Sendable {
    /// Where the workload object lives; nil when it cannot be patched (a custom owner: the
    /// controller knows neither its resource name nor has RBAC for it).
    var resource: ResourceDescriptor?
    /// The kind's registry entry; nil for bare pods and custom owners.
    var spec: WorkloadKindSpec?

    static func of(_ kind: WorkloadKind) -> KindRestartSupport {
        if let spec = WorkloadKindRegistry.spec(for: kind) { return KindRestartSupport(resource: spec.resource, spec: spec) }
        if kind == .pod { return KindRestartSupport(resource: .pods, spec: nil) }
        return KindRestartSupport(resource: nil, spec: nil)  // custom owners: pods can be evicted, the owner cannot be patched
    }

    /// Why the object the server returned (after the restart patch) cannot roll; nil: it can.
    static func blocker(of spec: WorkloadKindSpec, in answer: [UInt8], decoder: any ObjectDecoder) throws -> String? {
        spec.templateBlocker(try decode(spec.model, answer, decoder))
    }

    private static func decode<Object: KubeObject>(_ type: Object.Type, _ bytes: [UInt8], _ decoder: any ObjectDecoder) throws -> any KubeObject {
        try decoder.decode(type, from: bytes)
    }
}
