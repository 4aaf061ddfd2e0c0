import CCurl
import Foundation
import Synchronization

/// One thread that drives every transfer of the process through a libcurl multi handle.
///
/// Requests never block Swift's cooperative pool: callers suspend on a continuation, and this
/// thread does the I/O, sharing connections, DNS and TLS sessions between transfers. It waits
/// with epoll on the sockets libcurl names (`CURLMOPT_SOCKETFUNCTION`) and on libcurl's timer,
/// and runs only the transfer whose socket is ready (`curl_multi_socket_action`).
/// `curl_multi_perform` ran every transfer at every wake-up, each first polling its own socket:
/// with a dozen open watches, twenty polls per event received. Adding, cancelling and resuming
/// happen through a queue plus an eventfd in the same epoll set.
///
/// It is also a `TaskExecutor`: a task that prefers it (a watch's reader) runs its jobs on this
/// thread between two waits. A chunk received then resumes its reader without waking another
/// thread — a watch event costs one wake-up, the socket's — and the reader's work holds up
/// libcurl only for what one wake-up delivered.
final class CurlMultiLoop: TaskExecutor, @unchecked Sendable {
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
    /// The epoll set of libcurl's sockets and `wake`.
    private let events: Int32
    /// Written to wake the loop for the queue (or the exit).
    private let wake: Int32
    /// When libcurl's timer expires (loop thread only; nil: no timer).
    private var timerDeadline: ContinuousClock.Instant?
    /// Sockets epoll refused to watch (out of watches: `max_user_watches`), run every 10 ms
    /// instead so that their transfers go on (loop thread only).
    private var unwatchable: [Int32: Int32] = [:]
    /// Jobs of tasks that prefer this executor, run by the loop in order.
    private let jobs = Mutex<[UnownedJob]>([])
    /// The loop thread's `pthread_self()`, once it runs (its own enqueues need no wake-up).
    private let loopThread = Atomic<UInt>(0)

    private init() {
        _ = CurlGlobal.initialised
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: libcurl is unusable") }
        self.multi = multi
        events = tw_epoll_create()
        wake = tw_eventfd()
        guard events >= 0, wake >= 0, tw_epoll_watch(events, wake, Int32(CURL_POLL_IN)) == 0 else {
            fatalError("epoll or eventfd failed (errno \(errno)): the transport cannot wait for sockets")
        }
        // Only this thread touches the handles, so the share needs no lock callbacks.
        share = curl_share_init()
        if let share {
            _ = tw_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
            _ = tw_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        }
        // The loop is process-wide and never freed: libcurl may hold the pointer unretained.
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = tw_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = tw_multi_setopt_socket_function(multi, curlSocketCallback)
        _ = tw_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        _ = tw_multi_setopt_timer_function(multi, curlTimerCallback)
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
        tw_eventfd_signal(wake)
        _ = parked.wait(timeout: .now() + 2)  // a transfer step in progress finishes first; never hang the exit
    }

    func submit(_ transfer: CurlTransfer) {
        pending.withLock { $0.additions.append(transfer) }
        tw_eventfd_signal(wake)
    }

    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .relaxed)
        pending.withLock { $0.cancellations.append(transfer) }
        tw_eventfd_signal(wake)
    }

    /// Unpauses a transfer its flow control paused (libcurl's pause is only touched on this thread).
    func resume(_ transfer: CurlTransfer) {
        pending.withLock { $0.resumptions.append(transfer) }
        tw_eventfd_signal(wake)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        if loopThread.load(ordering: .acquiring) != UInt(pthread_self()) { tw_eventfd_signal(wake) }
    }

    /// Runs the jobs queued so far (those they queue wait for the next turn, after I/O).
    private func runJobs() {
        let batch = jobs.withLock { queued -> [UnownedJob] in
            defer { queued.removeAll(keepingCapacity: true) }
            return queued
        }
        let executor = asUnownedTaskExecutor()
        for job in batch { job.runSynchronously(on: executor) }
    }

    private var hasJobs: Bool { jobs.withLock { !$0.isEmpty } }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        var running: Int32 = 0
        var ready = [Int32](repeating: 0, count: 64)
        var actions = [Int32](repeating: 0, count: 64)
        while true {
            if exiting.load(ordering: .acquiring) {
                parked.signal()
                while true { sleep(60) }  // the process is exiting; libcurl and OpenSSL may be gone
            }
            drainPending()
            collectFinished()
            let count = tw_epoll_wait(events, &ready, &actions, Int32(ready.count), hasJobs ? 0 : timerWaitMilliseconds())
            for i in 0..<Int(max(0, count)) {
                if ready[i] == wake {
                    tw_eventfd_drain(wake)
                } else {
                    curl_multi_socket_action(multi, ready[i], actions[i], &running)
                }
            }
            for (socket, what) in unwatchable {
                curl_multi_socket_action(multi, socket, what, &running)
            }
            if let deadline = timerDeadline, deadline <= .now {
                timerDeadline = nil
                curl_multi_socket_action(multi, tw_socket_timeout(), 0, &running)
            }
            collectFinished()
            runJobs()
        }
    }

    /// How long epoll may wait: until libcurl's timer, and at most a second (10 ms while a
    /// socket is not watched).
    private func timerWaitMilliseconds() -> Int32 {
        let longest: Int32 = unwatchable.isEmpty ? 1000 : 10
        guard let deadline = timerDeadline else { return longest }
        let left = deadline - .now
        guard left > .zero else { return 0 }
        // Rounded up: waking a little before the deadline would only wait again.
        return Int32(min(Double(longest), (left / .milliseconds(1)).rounded(.up)))
    }

    /// libcurl's socket callback: wait on `socket` for what it says, or no longer.
    fileprivate func watch(_ socket: Int32, for what: Int32) {
        if what == Int32(CURL_POLL_REMOVE) {
            unwatchable[socket] = nil
            _ = tw_epoll_unwatch(events, socket)  // fails only for a bad epoll fd, which the init ruled out
        } else if tw_epoll_watch(events, socket, what) == 0 {
            unwatchable[socket] = nil
        } else {
            unwatchable[socket] = (what & Int32(CURL_POLL_IN) != 0 ? CURL_CSELECT_IN : 0) | (what & Int32(CURL_POLL_OUT) != 0 ? CURL_CSELECT_OUT : 0)
        }
    }

    /// libcurl's timer callback: run its timeouts in `milliseconds` (-1: no timer).
    fileprivate func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
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

/// Called by libcurl on the loop's thread, inside `curl_multi_socket_action` or an add/remove.
private let curlSocketCallback: tw_socket_callback = { _, socket, what, loop, _ in
    guard let loop else { return -1 }
    Unmanaged<CurlMultiLoop>.fromOpaque(loop).takeUnretainedValue().watch(socket, for: what)
    return 0
}

private let curlTimerCallback: tw_timer_callback = { _, milliseconds, loop in
    guard let loop else { return -1 }
    Unmanaged<CurlMultiLoop>.fromOpaque(loop).takeUnretainedValue().setTimer(milliseconds: milliseconds)
    return 0
}
