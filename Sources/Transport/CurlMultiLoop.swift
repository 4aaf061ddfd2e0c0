import CCurl
import Foundation
import Synchronization

/// One thread that drives every transfer of the process through a libcurl multi handle.
///
/// Requests never block Swift's cooperative pool: callers suspend on a continuation, and this
/// thread does the I/O (`curl_multi_poll`), sharing connections, DNS and TLS sessions between
/// transfers. Adding and cancelling happen through a queue plus `curl_multi_wakeup`.
final class CurlMultiLoop: @unchecked Sendable {
    static let shared = CurlMultiLoop()

    private struct Pending {
        var additions: [CurlTransfer] = []
        var cancellations: [CurlTransfer] = []
        var resumptions: [CurlTransfer] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let share: UnsafeMutableRawPointer?
    private let pending = Mutex(Pending())
    /// Loop thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// The process is exiting: the loop stops calling libcurl.
    private let exiting = Atomic<Bool>(false)
    private let parked = DispatchSemaphore(value: 0)

    private init() {
        _ = CurlGlobal.initialised
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: libcurl is unusable") }
        self.multi = multi
        // Only this thread touches the handles, so the share needs no lock callbacks.
        share = curl_share_init()
        if let share {
            _ = tw_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
            _ = tw_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        }
        let thread = Thread { [self] in run() }
        thread.name = "curl-multi"
        thread.start()
        // OpenSSL frees its global state in an exit handler that libcurl's global init registered;
        // a transfer this thread started after that crashed the exiting process (found under
        // AddressSanitizer). Exit handlers run last-registered first, so this one parks the loop
        // before OpenSSL cleans up.
        atexit { CurlMultiLoop.shared.parkForExit() }
    }

    /// Stops the loop from calling libcurl again and waits (briefly) until it has.
    private func parkForExit() {
        exiting.store(true, ordering: .releasing)
        curl_multi_wakeup(multi)
        _ = parked.wait(timeout: .now() + 2)  // a transfer step in progress finishes first; never hang the exit
    }

    func submit(_ transfer: CurlTransfer) {
        pending.withLock { $0.additions.append(transfer) }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .relaxed)
        pending.withLock { $0.cancellations.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Unpauses a transfer its flow control paused (libcurl's pause is only touched on this thread).
    func resume(_ transfer: CurlTransfer) {
        pending.withLock { $0.resumptions.append(transfer) }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var running: Int32 = 0
        while true {
            if exiting.load(ordering: .acquiring) {
                parked.signal()
                while true { sleep(60) }  // the process is exiting; libcurl and OpenSSL may be gone
            }
            drainPending()
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func drainPending() {
        let work = pending.withLock { state -> Pending in
            let taken = state
            state = Pending()
            return taken
        }
        for transfer in work.additions {
            if transfer.cancelRequested.load(ordering: .relaxed) {
                transfer.abandon()
                continue
            }
            if let share { _ = tw_easy_setopt_pointer(transfer.handle, CURLOPT_SHARE, share) }
            let code = curl_multi_add_handle(multi, transfer.handle)
            if code == CURLM_OK {
                active[transfer.handle] = transfer
            } else {
                transfer.complete(result: CURLE_FAILED_INIT)
            }
        }
        for transfer in work.cancellations {
            // The same transfer, not just the same handle address: a cancel that arrives after its
            // transfer finished (a watch stream dropped after its end) must not find a newer
            // transfer whose easy handle reuses the freed address. It did: that transfer was taken
            // out of libcurl and never completed, and its caller waited forever.
            guard let running = active[transfer.handle], running === transfer else { continue }
            active[transfer.handle] = nil
            curl_multi_remove_handle(multi, transfer.handle)
            transfer.complete(result: CURLE_ABORTED_BY_CALLBACK)
        }
        for transfer in work.resumptions {
            // As for cancels: only the same transfer, still running. Unpausing may deliver the
            // withheld bytes (and pause again) before it returns.
            guard let running = active[transfer.handle], running === transfer else { continue }
            _ = curl_easy_pause(transfer.handle, tw_pause_cont())  // CURLE_OK, or the transfer fails and completes as usual
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            guard let transfer = active.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            transfer.complete(result: result)
        }
    }
}
