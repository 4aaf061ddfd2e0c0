import Act
import Assess
import Evidence
import KubeModel
import Logging
import Observe
import Synchronization
import WatchCache

/// Puts what this replica learned from the audit webhook onto the pods (`PodEvidenceWriter`),
/// so every replica, a restarted controller and the next leader see it. Runs on every replica
/// (the webhook's Service may pick any). Paced: a burst, then `ratePerSecond`; a failed write is
/// tried again after `retrySeconds`.
public final class PodEvidenceRecorder: Sendable {
    private let writer: PodEvidenceWriter
    private let pods: ObjectStore<PodRecord>
    private let metrics: WardenMetrics?
    private let clock: @Sendable () -> Timestamp
    private let ratePerSecond: Double
    private let retrySeconds: Double
    private let pending = Mutex<[String: ConfirmedStaleToken]>([:])
    private let pace: Mutex<TokenBucket>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(
        writer: PodEvidenceWriter, pods: ObjectStore<PodRecord>, metrics: WardenMetrics?, clock: @escaping @Sendable () -> Timestamp,
        burst: Int = 50, ratePerSecond: Double = 10, retrySeconds: Double = 10
    ) {
        self.writer = writer
        self.pods = pods
        self.metrics = metrics
        self.clock = clock
        self.ratePerSecond = max(0.1, ratePerSecond)
        self.retrySeconds = retrySeconds
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

    /// Until cancelled.
    public func run() async {
        for await _ in wakeups {
            let failed = await drain()
            guard !failed.isEmpty else { continue }
            do {
                try await Task.sleep(for: .milliseconds(Int64(retrySeconds * 1000)))
            } catch {
                return  // cancelled: shutting down; the pods keep what was written
            }
            enqueue(failed)
        }
    }

    /// Writes everything pending; returns what failed.
    func drain() async -> [ConfirmedStaleToken] {
        var failed: [ConfirmedStaleToken] = []
        while let token = pending.withLock({ $0.popFirst()?.value }) {
            while !pace.withLock({ $0.take(now: Double(clock().seconds)) }) {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(1000 / ratePerSecond)))
                } catch {
                    return failed
                }
            }
            let outcome = await write(token)
            metrics?.recordEvidenceAnnotation(result: outcome.rawValue)
            if outcome == .failed { failed.append(token) }
        }
        return failed
    }

    private func write(_ token: ConfirmedStaleToken) async -> PodEvidenceWriter.Outcome {
        // The cache says which pod has that name now; one with another uid gets nothing.
        guard let name = token.podName, let record = pods.get(namespace: token.namespace, name: name),
              record.uid?.description == token.podUID
        else { return .podReplaced }
        let recorded = record.annotations[PolicyAnnotation.staleTokenIssuedAt].flatMap { Timestamp(rfc3339: $0) }
        let target = PodEvidenceWriter.Target(namespace: token.namespace, name: name, uid: token.podUID, recordedIssuedAt: recorded)
        return await writer.write(target, evidence: token.evidence(source: .webhook))
    }
}
