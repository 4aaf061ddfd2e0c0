import Synchronization

/// Wakes the reconcile loop when anything changes. Many changes between two reconciles collapse
/// into one wake-up: reconcile is level-based and is not told why it runs.
public final class ChangeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func notify() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next change (at once if one came since the last wait), at the timeout, or
    /// when the task is cancelled.
    public func wait(timeout: Duration) async {
        // A change came since the last wait (most waits under a steady stream of events): no
        // timer task to start and cancel.
        let changed = state.withLock { s -> Bool in
            defer { s.pending = false }
            return s.pending
        }
        if changed { return }
        let timer = Task {
            do {
                try await Task.sleep(for: timeout)
                self.notify()
            } catch {
                // Cancelled because a change came first: nothing to do.
            }
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.notify()
        }
    }
}
