import APIClient

/// A reflector's state machine (kube-rs `watcher.rs` in spirit): where it is, and what its
/// retries remember. `transition(on:elapsed:)` is its only transition function — pure, the time
/// an I/O took passed in — so every path (sync, watch, 410, failure, the short-watch guard, the
/// backoff) reads as one table and is tested without a server or a clock.
public struct ReflectorState: Sendable {
    public private(set) var phase: ReflectorPhase
    /// How this reflector syncs: as configured, until a server shows it does not support a
    /// streaming sync; from then on by LIST.
    public private(set) var syncMethod: InitialSync
    /// Watches in a row that the short-watch guard backed off (to log the first loudly).
    public private(set) var shortWatchesInARow = 0
    public private(set) var backoff: Backoff

    /// A watch that ends without an event sooner than this is "very short" (client-go: 1 s).
    public static let shortWatch: Duration = .seconds(1)

    public init(initialSync: InitialSync, backoff: Backoff) {
        self.phase = .syncing(initialSync)
        self.syncMethod = initialSync
        self.backoff = backoff
    }

    /// The next state after `outcome` of this phase's I/O, which took `elapsed`, and how long to
    /// wait before the next phase's I/O.
    public func transition(on outcome: ReflectorOutcome, elapsed: Duration) -> ReflectorTransition {
        var next = self
        switch (phase, outcome) {
        case (.syncing, .synced(let rv)):
            next.phase = .watching(resourceVersion: rv)
            return ReflectorTransition(next, wait: .zero)
        case (.syncing(.stream), .streamingUnsupported):
            // Remembered: every later sync of this reflector lists without asking again.
            next.syncMethod = .list
            next.phase = .syncing(.list)
            return ReflectorTransition(next, wait: .zero)
        case (.syncing(.stream), .gone):
            // The history moved on during the stream: a fresh consistent read, at once.
            return ReflectorTransition(next, wait: .zero, restart: .expired)
        case (.syncing, .failed(_, let error)):
            let wait = next.backingOff(for: error)
            return ReflectorTransition(next, wait: wait)
        case (.syncing(.list), .gone):
            // The pager has already started over once from a fresh snapshot: back off this time.
            let wait = next.backingOff(for: nil)
            return ReflectorTransition(next, wait: wait)
        case (.syncing, .watchEnded), (.syncing(.list), .streamingUnsupported):
            // Not a sync's outcome; no reason to spin: back off, sync again.
            let wait = next.backingOff(for: nil)
            return ReflectorTransition(next, wait: wait)
        case (.watching(let from), _):
            // A watch that stayed up through the healthy period clears the backoff's history.
            if elapsed >= backoff.resetAfter { next.backoff.reset() }
            return next.afterWatch(from: from, outcome, elapsed: elapsed)
        }
    }

    private func afterWatch(from: String, _ outcome: ReflectorOutcome, elapsed: Duration) -> ReflectorTransition {
        var next = self
        switch outcome {
        case .watchEnded(let rv, let events):
            next.phase = .watching(resourceVersion: rv)
            // client-go's short-watch guard: a watch the server closes at once without an event
            // is treated as a failure (backed off), not re-opened in a tight loop.
            if events == 0, elapsed < Self.shortWatch {
                next.shortWatchesInARow += 1
                let wait = next.backingOff(for: nil)
                return ReflectorTransition(next, wait: wait, restart: .short)
            }
            next.shortWatchesInARow = 0
            return ReflectorTransition(next, wait: .zero)
        case .gone:
            next.phase = .syncing(syncMethod)
            return ReflectorTransition(next, wait: .zero, restart: .expired)
        case .failed(let rv, let error):
            next.phase = .watching(resourceVersion: rv ?? from)
            let wait = next.backingOff(for: error)
            return ReflectorTransition(next, wait: wait, restart: .error)
        case .synced, .streamingUnsupported:
            // Not a watch's outcome: re-watch from where it was, after the backoff.
            let wait = next.backingOff(for: nil)
            return ReflectorTransition(next, wait: wait, restart: .error)
        }
    }

    /// The backoff's next wait; a server that asked for more (429 or 5xx with Retry-After, once
    /// the client's own retries are spent) gets that, up to the backoff's cap.
    private mutating func backingOff(for error: (any Error)?) -> Duration {
        let wait = backoff.next()
        guard case .status(_, _, let retryAfter?, _, _) = error as? APIError, retryAfter > 0 else { return wait }
        return max(wait, min(.seconds(retryAfter), backoff.maximum))
    }
}
