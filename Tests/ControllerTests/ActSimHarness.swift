import Foundation
import KubeSim

/// The simulated API server for the Act tests, behind plain types: this file alone imports
/// KubeSim, whose `StatusError` and `JSONValue` would clash with APIClient's in the test files.
final class ActSim: Sendable {
    let sim: KubeSim
    /// The simulated controllers and kubelet, when asked for.
    let cluster: SimulatedCluster?

    /// - Parameter cluster: run the simulated cluster (kubelet, workload controllers, PDB-aware
    ///   eviction) on the store, with pods Ready after `readyDelay`.
    init(cluster: Bool = false, readyDelay: Double = 0.1) throws {
        var options = KubeSim.Options()
        options.tls = true
        sim = try KubeSim(options: options)
        if cluster {
            var clusterOptions = ClusterOptions()
            clusterOptions.readyDelay = readyDelay
            let simulated = SimulatedCluster(store: sim.store, options: clusterOptions)
            simulated.start()
            sim.evictionHandler = simulated.evictionHandler
            self.cluster = simulated
        } else {
            self.cluster = nil
        }
        try sim.start()
    }

    deinit {
        cluster?.stop()
        sim.stop()
    }

    /// Rollouts of `kind`/`name` the simulated cluster recorded: (started, ended).
    func rollouts(kind: String, name: String) -> [(started: Date, ended: Date?)] {
        (cluster?.recorder.rollouts(kind: kind, name: name) ?? []).map { ($0.started, $0.ended) }
    }

    var url: String { sim.url }
    var certificateAuthorityPEM: String { sim.certificateAuthorityPEM ?? "" }
    var token: String { sim.adminToken }

    func kubeconfig(namespace: String) -> String { sim.kubeconfig(namespace: namespace) }

    /// Seeds objects as given (uids, timestamps and statuses kept): JSON text of one object or an array.
    func load(_ json: String) throws {
        let value = try JSONParser.parse(json)
        if let items = value.arrayValue { _ = try sim.load(items) } else { _ = try sim.load([value]) }
    }

    /// Creates an object through the store (as a controller of the simulated cluster would).
    func create(_ resource: String, namespace: String, json: String) throws {
        _ = try sim.store.create(Self.type(resource), namespace: namespace, object: try JSONParser.parse(json))
    }

    func delete(_ resource: String, namespace: String, name: String, gracePeriodSeconds: Int? = nil) throws {
        _ = try sim.store.delete(Self.type(resource), namespace: namespace, name: name, gracePeriodSeconds: gracePeriodSeconds)
    }

    /// The stored object as Foundation JSON (nil when absent).
    func object(_ resource: String, namespace: String, name: String) -> [String: Any]? {
        guard let stored = sim.store.get(Self.type(resource), namespace: namespace, name: name) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(stored.bytes)) as? [String: Any]  // the store only holds valid JSON
    }

    func objects(_ resource: String, namespace: String? = nil) -> [[String: Any]] {
        sim.store.objects(Self.type(resource), namespace: namespace).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.bytes)) as? [String: Any]  // as above
        }
    }

    /// The raw bytes of an object (to decode with the client's model types).
    func bytes(_ resource: String, namespace: String, name: String) -> [UInt8]? {
        sim.store.get(Self.type(resource), namespace: namespace, name: name)?.bytes
    }

    /// Requests served, as `VERB resource[/subresource] name → code`.
    struct Request: Equatable, CustomStringConvertible {
        var verb: String
        var resource: String
        var subresource: String
        var name: String
        var code: Int
        var description: String { "\(verb) \(resource)\(subresource.isEmpty ? "" : "/" + subresource) \(name) → \(code)" }
        var isWrite: Bool { !["get", "list", "watch"].contains(verb) }
    }

    var requests: [Request] {
        sim.requestLog.all.map { Request(verb: $0.verb, resource: $0.resource, subresource: $0.subresource, name: $0.name, code: $0.code) }
    }

    func clearRequests() { sim.requestLog.clear() }

    /// Every eviction is refused as a PodDisruptionBudget refuses it (the golden 429).
    func refuseEvictions(budget: String, needs: Int, has: Int) {
        sim.evictionHandler = { _, _ throws(StatusError) in
            throw StatusError(
                code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                causes: [.init(reason: "DisruptionBudget", message: "The disruption budget \(budget) needs \(needs) healthy pods and has \(has) currently")])
        }
    }

    func allowEvictions() { sim.evictionHandler = DefaultEviction.handler }

    /// Every `verb` request on `resource` is refused with `code` until `clearFaults()`; Retry-After 0,
    /// so the client's own retries give up at once.
    func refuse(_ resource: String, verb: String, code: Int) {
        sim.faults.inject(.init(code: code, verbs: [verb], resources: [resource], retryAfterSeconds: 0))
    }

    func clearFaults() { sim.faults.clear() }

    /// The next `verb` request on `resource` is carried out, but its answer is lost: `code`
    /// instead (0: the connection is dropped without one).
    func loseTheAnswer(_ resource: String, verb: String, code: Int, served: Bool = true) {
        sim.faults.inject(.init(code: code, count: 1, verbs: [verb], resources: [resource], retryAfterSeconds: 0, afterServing: served))
    }

    /// Pod deletes on a node only mark the pod (deletionTimestamp), as with a real kubelet.
    func setGracefulPodDeletion(_ on: Bool) { sim.store.gracefulPodDeletion = on }

    private static func type(_ resource: String) -> ResourceType {
        switch resource {
        case "pods": return ResourceCatalog.pods
        case "deployments": return ResourceCatalog.deployments
        case "statefulsets": return ResourceCatalog.statefulSets
        case "daemonsets": return ResourceCatalog.daemonSets
        case "replicationcontrollers": return ResourceCatalog.replicationControllers
        case "replicasets": return ResourceCatalog.replicaSets
        case "events": return ResourceCatalog.events
        case "leases": return ResourceCatalog.leases
        case "namespaces": return ResourceCatalog.namespaces
        case "poddisruptionbudgets": return ResourceCatalog.podDisruptionBudgets
        default: fatalError("ActSim: unknown resource \(resource)")
        }
    }
}
