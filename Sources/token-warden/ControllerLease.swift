import APIClient
import Assess
import KubeModel
import Plan

/// The running controller's leader-election Lease as `report` and `explain` read it: the
/// cluster token lifetime and the failure memory (backoff) its leader publishes there.
struct ControllerLease: Sendable {
    /// `namespace/name`.
    let location: String
    /// The Lease's annotations; nil when there is no such Lease (no controller, or another place).
    let annotations: [String: String]?
    /// Why it could not be read (403: the reader may not get Leases there), else nil.
    let problem: String?

    static func read(client: KubeClient, namespace: String, name: String) async -> ControllerLease {
        let location = "\(namespace)/\(name)"
        do {
            let lease = try await client.get(Lease.self, namespace: namespace, name: name)
            return ControllerLease(location: location, annotations: lease.metadata.annotations ?? [:], problem: nil)
        } catch let error as APIError where error.isNotFound {
            return ControllerLease(location: location, annotations: nil, problem: nil)
        } catch {
            return ControllerLease(location: location, annotations: nil, problem: "cannot read Lease \(location): \(error)")
        }
    }

    /// The lifetime the controller published, else 365 d with the reason.
    var lifetime: ClusterTokenLifetime {
        if let problem { return .fallback(problem) }
        return .published(onLease: annotations, lease: location)
    }

    /// The workloads the controller backs off, or a note saying why they cannot be shown.
    func backoff() -> (entries: [WorkloadID: FailureMemory.Entry], note: String?) {
        if let problem { return ([:], "\(problem); workloads the controller backs off are not shown as backoff") }
        guard let text = annotations?[FailureRecord.leaseAnnotation] else { return ([:], nil) }
        do {
            return (try FailureRecord.decode(text), nil)
        } catch {
            return ([:], "Lease \(location): \(error); workloads the controller backs off are not shown as backoff")
        }
    }
}
