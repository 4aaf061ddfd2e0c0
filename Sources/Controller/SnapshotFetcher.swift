import APIClient
import Assess
import KubeModel

/// Lists, once, everything the token-age model needs (for `report`); the controller keeps the
/// same data current with reflectors instead. Every registered workload kind is listed
/// (`WorkloadKindRegistry`); a discovered kind only when it is available (`WorkloadKindAvailability`).
public struct SnapshotFetcher: Sendable {
    public let client: KubeClient
    /// nil: every namespace.
    public let namespace: String?
    public let progress: (@Sendable (String) -> Void)?

    public init(client: KubeClient, namespace: String?, progress: (@Sendable (String) -> Void)? = nil) {
        self.client = client
        self.namespace = namespace
        self.progress = progress
    }

    /// Adds one kind's listed objects to a snapshot.
    private typealias Listed = @Sendable (inout ClusterSnapshot) -> Void

    public func fetch() async throws -> ClusterSnapshot {
        let ns = namespace
        let progress = self.progress
        let records = PodRecordBuilder()
        async let pods = client.listAll(Pod.self, namespace: ns, progress: { done, total in
            progress?("listed \(done)\(total.map { " of \($0)" } ?? "") pods")
        }, transform: records.record).items
        async let namespaces = fetchNamespaces()
        let workloads = try await withThrowingTaskGroup(of: Listed?.self) { group in
            for spec in WorkloadKindRegistry.all {
                group.addTask { try await list(spec) }
            }
            var listed: [Listed] = []
            for try await kind in group { if let kind { listed.append(kind) } }
            return listed
        }
        var snapshot = try await ClusterSnapshot(podRecords: pods, namespaces: namespaces)
        for add in workloads { add(&snapshot) }
        return snapshot
    }

    /// A kind's objects, or nil for a discovered kind that is not available (said through `progress`).
    private func list(_ spec: WorkloadKindSpec) async throws -> Listed? {
        if spec.discovered {
            let availability = await WorkloadKindAvailability.check(spec, client: client, namespace: namespace)
            guard availability == .available else {
                if availability != .notServed {  // not served (no CRD) is the common case, not news
                    progress?("\(spec.resource) not read (\(availability)): its pods are handled as a custom owner's")
                }
                return nil
            }
        }
        return try await list(spec.model)
    }

    private func list<Object: KubeObject>(_ type: Object.Type) async throws -> Listed {
        let objects = try await client.listAll(type, namespace: namespace, transform: { $0.cachedForm }).items
        return { snapshot in snapshot.setObjects(objects) }
    }

    /// The namespaces' annotations carry policy. With one namespace, GET just that one (a
    /// namespaced identity may not list namespaces).
    private func fetchNamespaces() async throws -> [Namespace] {
        if let namespace {
            return [try await client.get(Namespace.self, namespace: nil, name: namespace).cachedForm]
        }
        return try await client.listAll(Namespace.self, transform: { $0.cachedForm }).items
    }
}
