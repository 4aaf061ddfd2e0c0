import Synchronization

/// What the leader keeps on its Lease for `report` and `explain`: the cluster token lifetime
/// it uses and its failure memory (the reconciler is attached once it exists: the elector is
/// made before it).
final class LeasePublication: Sendable {
    private let tokenLifetime: ClusterTokenLifetimeMonitor
    private let reconciler = Mutex<Reconciler?>(nil)

    init(tokenLifetime: ClusterTokenLifetimeMonitor) {
        self.tokenLifetime = tokenLifetime
    }

    func attach(_ reconciler: Reconciler) {
        self.reconciler.withLock { $0 = reconciler }
    }

    func annotations(onLease: [String: String], acquiring: Bool) -> [String: String] {
        var annotations = tokenLifetime.leaseAnnotations
        if let reconciler = reconciler.withLock({ $0 }) {
            annotations.merge(reconciler.failureRecordAnnotations(onLease: onLease, acquiring: acquiring)) { $1 }
        }
        return annotations
    }
}
