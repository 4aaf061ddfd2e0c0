import KubeModel

/// What a leader-election round should do, given the Lease as read. Pure: client-go's
/// `tryAcquireOrRenew` decision without the I/O, unit-tested with a fixed clock.
public enum LeaseVerdict: Equatable, Sendable {
    /// No Lease exists: create one that names us.
    case create
    /// Take the lease: it is free (released), expired, or names us already (a restart with the same identity).
    case acquire
    /// We lead and hold it: write a fresh renewTime.
    case renew
    /// Another holder's lease is still valid (from our observation) until `until`.
    case standBy(holder: String, until: Double)
    /// We were the leader and are not any more.
    case lost(String)
}

public enum LeaseElection {
    /// - Parameters:
    ///   - record: the Lease spec as read; nil when there is no Lease.
    ///   - observedAt: when this elector first saw exactly this record (its own clock, seconds).
    ///     As in client-go, expiry is judged from that observation, not from the holder's
    ///     `renewTime`, so clock skew between replicas can never produce two leaders (a new
    ///     elector therefore waits up to a lease duration before taking over an abandoned lease).
    ///   - lastRenewedAt: the leader's last successful write (nil when not leading).
    public static func decide(
        record: Lease.Spec?, observedAt: Double, identity: String, isLeader: Bool, lastRenewedAt: Double?,
        now: Double, renewDeadline: Double, defaultLeaseDuration: Double
    ) -> LeaseVerdict {
        if isLeader, hasLapsed(lastRenewedAt: lastRenewedAt, now: now, renewDeadline: renewDeadline) {
            return .lost("the lease could not be renewed within the renew deadline (\(renewDeadline) s)")
        }
        guard let record else { return .create }
        let holder = record.holderIdentity ?? ""
        if holder == identity { return isLeader ? .renew : .acquire }
        if holder.isEmpty { return isLeader ? .lost("the lease was released by someone else") : .acquire }
        if isLeader { return .lost("the lease is held by \(holder)") }
        let duration = record.leaseDurationSeconds.map(Double.init) ?? defaultLeaseDuration
        let validUntil = observedAt + duration
        return validUntil <= now ? .acquire : .standBy(holder: holder, until: validUntil)
    }

    /// The leader has not renewed within the renew deadline.
    public static func hasLapsed(lastRenewedAt: Double?, now: Double, renewDeadline: Double) -> Bool {
        guard let lastRenewedAt else { return true }
        return now - lastRenewedAt > renewDeadline
    }

    /// The Lease spec to write for `verdict` (`.create`, `.acquire`, `.renew`).
    /// Transitions count changes of holder, as client-go counts them.
    public static func record(
        for verdict: LeaseVerdict, previous: Lease.Spec?, identity: String, leaseDurationSeconds: Int, now: MicroTime
    ) -> Lease.Spec {
        var spec = previous ?? Lease.Spec()
        let wasOurs = previous?.holderIdentity == identity
        spec.holderIdentity = identity
        spec.leaseDurationSeconds = leaseDurationSeconds
        spec.renewTime = now
        switch verdict {
        case .create:
            spec.acquireTime = now
            spec.leaseTransitions = 0
        case .acquire where !wasOurs:
            spec.acquireTime = now
            spec.leaseTransitions = (previous?.leaseTransitions ?? 0) + 1
        default:
            if spec.acquireTime == nil { spec.acquireTime = now }
            if spec.leaseTransitions == nil { spec.leaseTransitions = 0 }
        }
        return spec
    }

    /// The spec that releases the lease (client-go `ReleaseOnCancel`): no holder, a 1 s duration.
    public static func released(_ previous: Lease.Spec, now: MicroTime) -> Lease.Spec {
        var spec = previous
        spec.holderIdentity = ""
        spec.leaseDurationSeconds = 1
        spec.renewTime = now
        spec.acquireTime = now
        return spec
    }
}
