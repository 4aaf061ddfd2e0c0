import Assess
import KubeModel
import Synchronization

/// A pod the API server saw presenting a stale token: hard evidence that outranks the estimate.
public struct ConfirmedStaleToken: Sendable, Equatable {
    public var podUID: String
    public var namespace: String
    public var podName: String?
    public var serviceAccount: String
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var maxSecondsAfterWarning: Int64
    public var requests: Int
    /// The earliest issue time over the observations (seen − N − 3607 s).
    public var tokenIssuedAt: Timestamp

    /// Token age at the latest evidence (warn-after is iat + 3607 s).
    public var tokenAgeSeconds: Int64 { maxSecondsAfterWarning + AuditVocabulary.warnAfterSeconds }

    /// The evidence the assessment reads.
    public func evidence(source: TokenEvidence.Source) -> TokenEvidence {
        TokenEvidence(source: source, firstSeen: firstSeen, lastSeen: lastSeen, serviceAccount: serviceAccount, tokenIssuedAt: tokenIssuedAt)
    }
}

/// Confirmed-stale pods from the audit webhook, keyed by pod UID, read by the controller's planner
/// (those pods' workloads go first). Thread-safe; bounded: at most `capacity` pods (the least
/// recently seen are dropped) and entries not seen for `retentionSeconds` are forgotten by `prune`.
public final class StaleTokenEvidenceStore: Sendable {
    public static let defaultCapacity = 10_000
    public static let defaultRetentionSeconds: Int64 = 7 * 86_400

    public let capacity: Int
    public let retentionSeconds: Int64
    private struct State {
        var pods: [String: ConfirmedStaleToken] = [:]
        var generation: UInt64 = 0
    }
    private let state = Mutex(State())
    private let onNewEvidence: (@Sendable ([ConfirmedStaleToken]) -> Void)?

    /// - Parameter onNewEvidence: called (outside the lock) with pods confirmed stale for the
    ///   first time or seen with an earlier token issue time than before: to reconcile at once
    ///   instead of at the next resync, and to write the evidence onto the pods.
    public init(
        capacity: Int = StaleTokenEvidenceStore.defaultCapacity,
        retentionSeconds: Int64 = StaleTokenEvidenceStore.defaultRetentionSeconds,
        onNewEvidence: (@Sendable ([ConfirmedStaleToken]) -> Void)? = nil
    ) {
        self.capacity = max(1, capacity)
        self.retentionSeconds = retentionSeconds
        self.onNewEvidence = onNewEvidence
    }

    /// Records observations; those without a pod UID cannot be tied to a pod and are ignored here.
    /// `receivedAt` stands in for events without a timestamp. Returns the newly confirmed pods.
    @discardableResult
    public func record(_ observations: [StaleTokenObservation], receivedAt: Timestamp) -> [ConfirmedStaleToken] {
        var fresh: [ConfirmedStaleToken] = []
        var earlier: Set<String> = []
        state.withLock { state in
            for observation in observations {
                guard let uid = observation.podUID, !uid.isEmpty else { continue }
                let seen = observation.time ?? receivedAt
                let issuedAt = TokenEvidence.issuedAt(seen: seen, secondsAfterWarning: observation.secondsAfterWarning)
                if var entry = state.pods[uid] {
                    entry.firstSeen = min(entry.firstSeen, seen)
                    entry.lastSeen = max(entry.lastSeen, seen)
                    entry.maxSecondsAfterWarning = max(entry.maxSecondsAfterWarning, observation.secondsAfterWarning)
                    if issuedAt < entry.tokenIssuedAt {
                        entry.tokenIssuedAt = issuedAt
                        earlier.insert(uid)
                    }
                    if observation.isFinalStage { entry.requests += 1 }
                    state.pods[uid] = entry
                } else {
                    let entry = ConfirmedStaleToken(
                        podUID: uid, namespace: observation.namespace, podName: observation.podName,
                        serviceAccount: observation.serviceAccount, firstSeen: seen, lastSeen: seen,
                        maxSecondsAfterWarning: observation.secondsAfterWarning,
                        requests: observation.isFinalStage ? 1 : 0, tokenIssuedAt: issuedAt)
                    state.pods[uid] = entry
                    fresh.append(entry)
                }
            }
            if state.pods.count > capacity {
                let excess = state.pods.count - capacity
                for (uid, _) in state.pods.sorted(by: { $0.value.lastSeen < $1.value.lastSeen }).prefix(excess) {
                    state.pods[uid] = nil
                }
            }
            if !observations.isEmpty { state.generation &+= 1 }
        }
        let freshUIDs = Set(fresh.map(\.podUID))
        let uids = fresh.map(\.podUID) + earlier.filter { !freshUIDs.contains($0) }
        let changed = state.withLock { state in uids.compactMap { state.pods[$0] } }  // as of the whole batch
        if !changed.isEmpty { onNewEvidence?(changed) }
        return fresh
    }

    public func confirmed(podUID: String) -> ConfirmedStaleToken? {
        state.withLock { $0.pods[podUID] }
    }

    public func isConfirmedStale(podUID: String) -> Bool {
        state.withLock { $0.pods[podUID] != nil }
    }

    /// All confirmed pods by UID (a copy).
    public func snapshot() -> [String: ConfirmedStaleToken] {
        state.withLock { $0.pods }
    }

    /// The evidence of every confirmed pod by uid, as the assessment takes it.
    public func evidence(source: TokenEvidence.Source = .webhook) -> [String: TokenEvidence] {
        state.withLock { $0.pods.mapValues { $0.evidence(source: source) } }
    }

    public var confirmedPodUIDs: Set<String> {
        state.withLock { Set($0.pods.keys) }
    }

    /// Changes whenever evidence is recorded or forgotten; cheap "anything new?" check for the controller.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Forgets pods that no longer exist (pass the live pod UIDs from the cache) and entries not
    /// seen within the retention period. Returns how many were removed.
    @discardableResult
    public func prune(livePodUIDs: Set<String>?, now: Timestamp) -> Int {
        state.withLock { state in
            let before = state.pods.count
            state.pods = state.pods.filter { uid, entry in
                (livePodUIDs?.contains(uid) ?? true) && now - entry.lastSeen <= retentionSeconds
            }
            let removed = before - state.pods.count
            if removed > 0 { state.generation &+= 1 }
            return removed
        }
    }
}
