import Act
import Assess
import KubeModel
import Logging
import Plan

/// Performing what `PassEffects` decided, in order: the one place the pass's Events, metrics
/// and bookkeeping touch the world.
extension Reconciler {
    /// - Parameter log: the logger of the step (with the workload's metadata when it is about one).
    func perform(_ effects: [PassEffect], now: Timestamp, log: Logger) async {
        for effect in effects {
            switch effect {
            case .event(let event):
                await send(event)
            case .once(let key, let paced, let then, let otherwise):
                let first = paced ? firstAnnouncement(key, now: now) : ledger.firstTime(key)
                await perform(first ? then : otherwise, now: now, log: log)
                // The pass stopped writing before it could say it (the lease in doubt): unsaid, so
                // a pass that may write says it, rather than never.
                if first, fenced.withLock({ $0 }) { ledger.forget(key) }
            case .stopUnlessWritable:
                guard writable() else { return }
            case .log(let level, let message, let metadata):
                log.log(level: level, "\(message)", metadata: metadata)
            case .countRestart(let kind, let result):
                metrics?.recordRestart(kind: kind, result: result)
            case .countEviction(let kind, let result):
                metrics?.recordEviction(kind: kind, result: result)
            case .countDeferral(let cause):
                metrics?.recordDeferredRestart(cause: cause)
            case .retryAt(let instant):
                retryLater(instant)
            case .rememberStarted(let id, let flight):
                startedRestarts.withLock { flights in
                    if flights[id] == nil { flights[id] = flight }
                }
            case .forgetStarted(let id):
                startedRestarts.withLock { $0[id] = nil }
            case .clearFailures(let id):
                failures.withLock { $0.recordSuccess(id) }
            case .recordFailure(let id, let failure, let cause, let reason, let generation, let followUp):
                let entry = failures.withLock {
                    $0.recordFailure(id, failure, cause: cause, reason: reason, generation: generation, now: now, jitter: Double.random(in: 0..<1))
                }
                await perform(PassEffects.afterFailure(followUp, entry: entry), now: now, log: log)
            case .recordCompletion(let ref, let id):
                do {
                    _ = try await actions.recordCompletion(of: ref, kind: id.kind, now: now)
                } catch {
                    // Not fatal: without the record a new process announces this completion once more.
                    logger.warning("cannot record the completed restart on the workload", metadata: ["workload": "\(id)", "error": "\(error)"])
                }
            }
        }
    }
}
