import Act
import APIClient
import Assess
import Evidence
import KubeModel
import Logging
import Observe
import Plan
import Synchronization
import WatchCache

/// Puts what this replica learned from the audit webhook onto the pods (`PodEvidenceWriter`),
/// so every replica, a restarted controller and the next leader see it. Runs on every replica
/// (the webhook's Service may pick any). Paced: a burst, then `ratePerSecond`. A failed write
/// backs off per pod with the same `FailureMemory` and policy as every other write (growing
/// waits, `Retry-After` honoured, the long wait after an answer retrying will not change).
public final class PodEvidenceRecorder: Sendable {
    private let writer: PodEvidenceWriter
    private let pods: ObjectStore<PodRecord>
    private let metrics: WardenMetrics?
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let ratePerSecond: Double
    private let pending = Mutex<[String: ConfirmedStaleToken]>([:])
    /// By pod uid: evidence whose pod backs off, written again once its wait ends.
    private let waiting = Mutex<[String: ConfirmedStaleToken]>([:])
    /// Failed writes by pod (kind `Pod`): when each may be tried again.
    private let failures: Mutex<FailureMemory>
    private let pace: Mutex<TokenBucket>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(
        writer: PodEvidenceWriter, pods: ObjectStore<PodRecord>, metrics: WardenMetrics?, clock: @escaping @Sendable () -> Timestamp,
        burst: Int = 50, ratePerSecond: Double = 10, backoff: BackoffPolicy = BackoffPolicy(),
        logger: Logger = Logger(label: "token-warden.evidence")
    ) {
        self.writer = writer
        self.pods = pods
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.ratePerSecond = max(0.1, ratePerSecond)
        failures = Mutex(FailureMemory(policy: backoff))
        pace = Mutex(TokenBucket(burst: burst, ratePerSecond: ratePerSecond, now: Double(clock().seconds)))
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// New evidence, or an earlier issue time for a pod (the store's `onNewEvidence`).
    public func enqueue(_ tokens: [ConfirmedStaleToken]) {
        guard !tokens.isEmpty else { return }
        pending.withLock { pending in
            for token in tokens { pending[token.podUID] = token }
        }
        wake.yield()
    }

    /// Until cancelled. A wait for a backing-off pod never holds up new evidence: each wake-up
    /// (new evidence or the earliest wait's end) writes what may be written now.
    public func run() async {
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        for await _ in wakeups {
            timer?.cancel()
            let due = waiting.withLock { waiting in
                defer { waiting.removeAll() }
                return Array(waiting.values)
            }
            pending.withLock { pending in
                for token in due where pending[token.podUID] == nil { pending[token.podUID] = token }
            }
            guard let retryAt = await drain() else { continue }
            let seconds = max(1, retryAt - clock())
            timer = Task { [wake] in
                do {
                    try await Task.sleep(for: .seconds(seconds))
                    wake.yield()
                } catch {
                    return  // cancelled: a newer wake-up set its own timer, or shutting down
                }
            }
        }
    }

    /// Writes everything pending whose pod does not back off; returns the earliest moment a
    /// backing-off pod may be tried again (nil: none waits).
    func drain() async -> Timestamp? {
        while let token = pending.withLock({ $0.popFirst()?.value }) {
            let id = Self.workload(token)
            if failures.withLock({ $0.blockedUntil(id, now: clock(), generation: nil) }) != nil {
                waiting.withLock { $0[token.podUID] = token }
                continue
            }
            while !pace.withLock({ $0.take(now: Double(clock().seconds)) }) {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(1000 / ratePerSecond)))
                } catch {
                    return nil
                }
            }
            let (outcome, error) = await write(token)
            metrics?.recordEvidenceAnnotation(result: outcome.rawValue)
            if outcome == .failed {
                let failure = error.map(Reconciler.failure) ?? .transient(retryAfter: nil)
                let entry = failures.withLock {
                    $0.recordFailure(id, failure, cause: error.map { "\($0)" } ?? "write failed", reason: (error as? APIError)?.reason,
                                     generation: nil, now: clock(), jitter: Double.random(in: 0..<1))
                }
                logger.log(level: entry.failures == 1 ? .notice : .debug, "stale-token evidence will be written again after a backoff", metadata: [
                    "namespace": "\(token.namespace)", "pod": "\(token.podName ?? "")", "failures": "\(entry.failures)",
                    "retryAt": "\(entry.until.rfc3339)",
                ])
                waiting.withLock { $0[token.podUID] = token }
            } else {
                failures.withLock { $0.recordSuccess(id) }
            }
        }
        let now = clock()
        return failures.withLock { memory in
            memory.forget(before: now - 3600)
            return memory.blocked(now: now).values.min()
        }
    }

    static func workload(_ token: ConfirmedStaleToken) -> WorkloadID {
        WorkloadID(kind: .pod, namespace: token.namespace, name: token.podName ?? token.podUID)
    }

    private func write(_ token: ConfirmedStaleToken) async -> (PodEvidenceWriter.Outcome, (any Error)?) {
        // The cache says which pod has that name now; one with another uid gets nothing.
        guard let name = token.podName, let record = pods.get(namespace: token.namespace, name: name),
              record.uid?.description == token.podUID
        else { return (.podReplaced, nil) }
        let recorded = record.annotations[PolicyAnnotation.staleTokenIssuedAt].flatMap { Timestamp(rfc3339: $0) }
        let target = PodEvidenceWriter.Target(namespace: token.namespace, name: name, uid: token.podUID, recordedIssuedAt: recorded)
        let attempt = await writer.attempt(target, evidence: token.evidence(source: .webhook))
        return (attempt.outcome, attempt.error)
    }
}
