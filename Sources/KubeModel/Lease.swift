/// `coordination.k8s.io/v1` Lease: the leader-election lock.
///
/// Leases are written whole (PUT with the `resourceVersion` read, for optimistic concurrency), so
/// every spec field is kept, including the ones this controller does not use itself.
public struct Lease: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .leases }

    public var apiVersion: String? = "coordination.k8s.io/v1"
    public var kind: String? = "Lease"
    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec = Spec()) {
        self.metadata = metadata
        self.spec = spec
    }

    public struct Spec: Codable, Hashable, Sendable {
        /// Who holds the lease; nil or empty when it is free (released).
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        public var acquireTime: MicroTime?
        public var renewTime: MicroTime?
        public var leaseTransitions: Int?
        /// Coordinated leader election (alpha): kept as read, never set here.
        public var strategy: String?
        public var preferredHolder: String?

        public init(
            holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
            renewTime: MicroTime? = nil, leaseTransitions: Int? = nil, strategy: String? = nil, preferredHolder: String? = nil
        ) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
            self.strategy = strategy
            self.preferredHolder = preferredHolder
        }

        /// The lease has a holder (client-go treats an empty identity as free).
        public var isHeld: Bool { !(holderIdentity ?? "").isEmpty }
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
    }
}
