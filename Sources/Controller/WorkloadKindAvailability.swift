import APIClient
import Assess
import KubeModel
import Logging

/// Whether the controller can read a discovered kind (a CRD such as Argo Rollouts): the API
/// server serves it (discovery) and the controller may list it (its RBAC is optional). Asked
/// once when the caches start — so installing the CRD or granting the RBAC later takes effect
/// when the controller restarts. A kind that is not available is not an error: its pods are
/// handled as those of a custom owner (evicted one by one).
public enum WorkloadKindAvailability: Sendable, Equatable {
    case available
    case notServed
    case forbidden(String)
    /// Discovery or the probe failed otherwise: read later, when the controller restarts.
    case unknown(String)

    public static func check(_ spec: WorkloadKindSpec, client: KubeClient, namespace: String?) async -> WorkloadKindAvailability {
        do {
            guard try await client.serves(spec.resource) else { return .notServed }
            _ = try await probe(spec.model, client: client, namespace: namespace)
            return .available
        } catch let error as APIError where error.isForbidden {
            return .forbidden("\(error)")
        } catch {
            return .unknown("\(error)")
        }
    }

    /// One item of one page: whether a LIST (what the reflector does) is permitted.
    private static func probe<Object: KubeObject>(_ type: Object.Type, client: KubeClient, namespace: String?) async throws -> Int {
        try await client.list(type, namespace: namespace, limit: 1).items.count
    }

    /// Logged once per kind when the caches (or a report) start.
    public func log(_ spec: WorkloadKindSpec, logger: Logger) {
        let metadata: Logger.Metadata = ["kind": "\(spec.kind.kindName)", "resource": "\(spec.resource)"]
        switch self {
        case .available:
            logger.info("workload kind served: watching it", metadata: metadata)
        case .notServed:
            logger.info("workload kind not served by the API server: its pods are handled as a custom owner's", metadata: metadata)
        case .forbidden(let why):
            logger.notice("workload kind served but not readable (RBAC): its pods are handled as a custom owner's",
                          metadata: metadata.merging(["error": "\(why)"]) { $1 })
        case .unknown(let why):
            logger.warning("cannot tell whether the workload kind is served: its pods are handled as a custom owner's until the controller restarts",
                           metadata: metadata.merging(["error": "\(why)"]) { $1 })
        }
    }
}
