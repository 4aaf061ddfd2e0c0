import Synchronization

/// Holds a transfer for a cancellation handler that may run before, during or after the transfer
/// is created: a cancel that arrives first is remembered and applied as soon as the transfer exists.
final class TransferBox: Sendable {
    private struct State {
        var transfer: CurlTransfer?
        var cancelled = false
    }

    private let state = Mutex(State())

    func set(_ transfer: CurlTransfer, loop: CurlMultiLoop) {
        let cancelNow = state.withLock { s -> Bool in
            s.transfer = transfer
            return s.cancelled
        }
        if cancelNow { transfer.cancelRequested.store(true, ordering: .relaxed) }
    }

    /// Resumes a transfer paused by its flow control (a transfer not yet created is never paused).
    func resume(loop: CurlMultiLoop) {
        if let transfer = state.withLock({ $0.transfer }) { loop.resume(transfer) }
    }

    func cancel(loop: CurlMultiLoop) {
        let transfer = state.withLock { s -> CurlTransfer? in
            s.cancelled = true
            return s.transfer
        }
        if let transfer { loop.cancel(transfer) }
    }
}
