import KubeModel
import Synchronization

/// When the audit webhook last took an authenticated batch. `restart-on: evidence` trusts a live
/// source only: a webhook silent for longer than `--evidence-max-silence` (the API server stopped
/// sending, its credentials expired, the Service points nowhere) makes it fall back to the estimate.
public final class AuditBatchClock: Sendable {
    private struct State {
        var startedAt: Timestamp
        var lastBatchAt: Timestamp?
    }

    private let state: Mutex<State>

    /// `startedAt`: silence is counted from here until the first batch.
    public init(startedAt: Timestamp) {
        state = Mutex(State(startedAt: startedAt))
    }

    public func noteBatch(at time: Timestamp) {
        state.withLock { $0.lastBatchAt = max($0.lastBatchAt ?? time, time) }
    }

    public var lastBatchAt: Timestamp? { state.withLock { $0.lastBatchAt } }

    /// Seconds without a batch at `now` (since start while none has come); `elsewhere`: the
    /// latest batch another replica received.
    public func silenceSeconds(now: Timestamp, elsewhere: Timestamp? = nil) -> Int64 {
        state.withLock { state in
            let latest = [state.lastBatchAt, elsewhere].compactMap { $0 }.max() ?? state.startedAt
            return max(0, now - latest)
        }
    }
}
