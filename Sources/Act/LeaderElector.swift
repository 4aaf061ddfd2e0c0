import APIClient
import Foundation
import KubeModel
import Logging
import Synchronization

/// Leader election on a `coordination.k8s.io/v1` Lease with client-go's semantics: acquire a
/// free or expired lease, renew every retryPeriod, step down when a renewal has not succeeded
/// within renewDeadline, write with optimistic concurrency (PUT with the resourceVersion read;
/// 409 → read again), count holder changes in `leaseTransitions`, release on shutdown.
///
/// Only the leader acts; followers keep their caches warm and take over when the lease expires.
public final class LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    private let client: KubeClient
    private let logger: Logger
    private let clock: @Sendable () -> Date
    /// Annotations the leader keeps on the Lease (the cluster token lifetime it uses, its failure
    /// memory, for `report`), given those the Lease carries and whether this write takes it over.
    /// An empty value removes the annotation.
    private let annotations: @Sendable (_ onLease: [String: String], _ acquiring: Bool) -> [String: String]
    private let leading = Atomic<Bool>(false)
    private let state = Mutex(ElectionState())
    /// `run`'s `onChange`, for stepping down outside a round (a write refused by the gate).
    private let onChange = Mutex<(@Sendable (Bool) -> Void)?>(nil)

    /// What the elector knows between rounds.
    private struct ElectionState: Sendable {
        /// The Lease as last read or written (its resourceVersion is the PUT precondition).
        var lease: Lease?
        /// The spec observed and when it was first seen unchanged (for expiry).
        var observed: Lease.Spec?
        var observedAt: Double = 0
        var lastRenewedAt: Double?
    }

    public init(
        client: KubeClient, config: LeaderElectionConfig, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
        annotations: @escaping @Sendable (_ onLease: [String: String], _ acquiring: Bool) -> [String: String] = { _, _ in [:] }
    ) {
        self.client = client
        self.annotations = annotations
        self.config = config
        self.clock = clock
        var logger = logger
        logger[metadataKey: "lease"] = "\(config.namespace)/\(config.name)"
        logger[metadataKey: "identity"] = "\(config.identity)"
        self.logger = logger
    }

    /// Whether this replica leads now.
    public var isLeader: Bool { leading.load(ordering: .acquiring) }

    /// Whether this replica may write now: it leads and its last renewal is within the renew
    /// deadline (the margin before the lease duration, when another replica may take over).
    /// Checked before every write; when false the pass stops and the next round steps down.
    public var mayWrite: Bool {
        guard isLeader else { return false }
        let renewed = state.withLock { $0.lastRenewedAt }
        return !LeaseElection.hasLapsed(lastRenewedAt: renewed, now: now(), renewDeadline: config.renewDeadline)
    }

    /// The write gate's question (`KubeClient.gated(by:)`): `mayWrite`; when a leader finds its
    /// lease in doubt here it steps down at once, not at its next round.
    public func admitsWrite() -> Bool {
        if mayWrite { return true }
        if isLeader, let onChange = onChange.withLock({ $0 }) {
            state.withLock { $0.lease = nil }
            setLeader(false, onChange: onChange, why: "a write was due but the lease could not be renewed within the renew deadline")
        }
        return false
    }

    /// Campaigns, leads and renews until the task is cancelled; `onChange` is told each change
    /// of leadership (true: start acting; false: stop at once). On cancellation a held lease is
    /// released (if configured) and, if it was leading, `onChange(false)` is the last call.
    public func run(onChange: @escaping @Sendable (Bool) -> Void) async {
        logger.info("leader election started", metadata: [
            "leaseDuration": "\(config.leaseDuration)", "renewDeadline": "\(config.renewDeadline)", "retryPeriod": "\(config.retryPeriod)",
        ])
        self.onChange.withLock { $0 = onChange }
        while !Task.isCancelled {
            await round(onChange: onChange)
            let pause = isLeader ? config.retryPeriod : config.retryPeriod * (1 + Double.random(in: 0..<1.2))  // client-go JitterFactor 1.2
            do {
                try await Task.sleep(for: .seconds(pause))
            } catch {
                break  // cancelled
            }
        }
        if isLeader, config.releaseOnCancel {
            // The caller's task is cancelled; the release must still reach the server.
            await Task.detached { [self] in await self.release() }.value
        }
        setLeader(false, onChange: onChange, why: "shutting down")
    }

    /// One `tryAcquireOrRenew`: read (unless leading with a fresh copy), decide, write.
    private func round(onChange: @escaping @Sendable (Bool) -> Void) async {
        var current = state.withLock { $0 }
        let leader = isLeader
        if leader, LeaseElection.hasLapsed(lastRenewedAt: current.lastRenewedAt, now: now(), renewDeadline: config.renewDeadline) {
            state.withLock { $0.lease = nil }
            setLeader(false, onChange: onChange, why: "the lease could not be renewed within the renew deadline")
            return
        }
        // Fast path: the leader renews from its own copy; a conflict sends it to the slow path.
        for fastPath in leader && current.lease != nil ? [true, false] : [false] {
            if !fastPath {
                do {
                    let lease = try await bounded { [client, config] in
                        try await client.get(Lease.self, namespace: config.namespace, name: config.name)
                    }
                    current = observe(lease)
                } catch let error as APIError where error.isNotFound {
                    current = observe(nil)
                } catch {
                    if !Task.isCancelled { logger.warning("cannot read the lease", metadata: ["error": "\(error)"]) }
                    return
                }
            }
            let t = now()
            let verdict = LeaseElection.decide(
                record: current.lease?.spec, observedAt: current.observedAt, identity: config.identity, isLeader: isLeader,
                lastRenewedAt: current.lastRenewedAt, now: t, renewDeadline: config.renewDeadline,
                defaultLeaseDuration: config.leaseDuration)
            switch verdict {
            case .standBy(let holder, _):
                if leader { setLeader(false, onChange: onChange, why: "held by \(holder)") }
                return
            case .lost(let why):
                state.withLock { $0.lease = nil }
                setLeader(false, onChange: onChange, why: why)
                return
            case .create, .acquire, .renew:
                let spec = LeaseElection.record(for: verdict, previous: current.lease?.spec, identity: config.identity,
                                                leaseDurationSeconds: config.leaseDurationSeconds, now: MicroTime(seconds: t))
                do {
                    try await write(spec, over: current.lease, at: t, acquiring: verdict != .renew)
                    if verdict != .renew { logger.notice("lease acquired", metadata: ["transitions": "\(spec.leaseTransitions ?? 0)"]) }
                    setLeader(true, onChange: onChange, why: "lease \(verdict == .renew ? "renewed" : "acquired")")
                    return
                } catch let error as APIError where error.isConflict || error.code == 409 {
                    state.withLock { $0.lease = nil }
                    logger.debug("lease changed meanwhile; reading it again", metadata: ["error": "\(error)"])
                    continue  // fast path → slow path; slow path → next round
                } catch {
                    if !Task.isCancelled { logger.warning("cannot write the lease", metadata: ["error": "\(error)"]) }
                    return
                }
            }
        }
    }

    /// Creates (no Lease yet) or replaces the Lease with `spec`; on success it is ours as of `at`.
    /// `acquiring`: this write takes the lease (not a renewal), so the annotations may seed from it.
    private func write(_ spec: Lease.Spec, over existing: Lease?, at t: Double, acquiring: Bool) async throws {
        let written: Lease
        let published = annotations(existing?.metadata.annotations ?? [:], acquiring)
        if let existing {
            var lease = existing
            lease.spec = spec
            if !published.isEmpty {
                var merged = (lease.metadata.annotations ?? [:]).merging(published) { $1 }
                for (key, value) in published where value.isEmpty { merged[key] = nil }
                lease.metadata.annotations = merged
            }
            let body = try JSONBody.encode(lease)
            let answer = try await bounded { [client, config] in
                try await client.replace(.leases, namespace: config.namespace, name: config.name, body: body)
            }
            written = try client.decoder.decode(Lease.self, from: answer)
        } else {
            let kept = published.filter { !$0.value.isEmpty }
            let lease = Lease(
                metadata: ObjectMeta(name: config.name, namespace: config.namespace, annotations: kept.isEmpty ? nil : kept),
                spec: spec)
            let body = try JSONBody.encode(lease)
            let answer = try await bounded { [client, config] in try await client.create(.leases, namespace: config.namespace, body: body) }
            written = try client.decoder.decode(Lease.self, from: answer)
        }
        state.withLock {
            $0.lease = written
            $0.observed = written.spec
            $0.observedAt = t
            $0.lastRenewedAt = t
        }
    }

    /// Records what was read; a changed record restarts the expiry clock (client-go's observedTime).
    private func observe(_ lease: Lease?) -> ElectionState {
        let t = now()
        return state.withLock { s in
            if lease?.spec != s.observed || (lease == nil) != (s.lease == nil) {
                s.observed = lease?.spec
                s.observedAt = t
            }
            s.lease = lease
            return s
        }
    }

    /// Frees the lease so a follower can take over at once (only if it still names us).
    private func release() async {
        guard let lease = state.withLock({ $0.lease }), lease.spec.holderIdentity == config.identity else { return }
        var released = lease
        released.spec = LeaseElection.released(lease.spec, now: MicroTime(seconds: now()))
        do {
            let body = try JSONBody.encode(released)
            _ = try await bounded(leading: false) { [client, config] in
                try await client.replace(.leases, namespace: config.namespace, name: config.name, body: body)
            }
            logger.notice("lease released")
        } catch {
            logger.warning("cannot release the lease; followers take over when it expires", metadata: ["error": "\(error)"])
        }
        state.withLock { $0.lease = nil }
    }

    private func setLeader(_ value: Bool, onChange: @Sendable (Bool) -> Void, why: String) {
        let previous = leading.exchange(value, ordering: .acquiringAndReleasing)
        guard previous != value else { return }
        if value {
            logger.notice("became leader", metadata: ["why": "\(why)"])
        } else {
            state.withLock { $0.lastRenewedAt = nil }
            logger.notice("stopped leading", metadata: ["why": "\(why)"])
        }
        onChange(value)
    }

    private func now() -> Double { clock().timeIntervalSince1970 }

    /// Runs one API call with a deadline: a leader's call must end before its renew deadline
    /// does (client-go bounds each renewal by the renew deadline too). A follower's call or the
    /// release may take up to a lease duration: nothing depends on it being quick.
    private func bounded<T: Sendable>(
        leading: Bool? = nil, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        var limit = max(config.renewDeadline, config.leaseDuration)
        if leading ?? isLeader, let last = state.withLock({ $0.lastRenewedAt }) {
            limit = max(0.05, config.renewDeadline - (now() - last))
        }
        let seconds = limit
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw LeaderElectionTimeout(seconds: limit) }
            return value
        }
    }
}

/// An API call of the elector did not finish within the renew deadline.
struct LeaderElectionTimeout: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no answer from the API server within \(seconds) s" }
}
