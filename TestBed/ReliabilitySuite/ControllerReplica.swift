import Controller
import Logging
import ServiceLifecycle
import Synchronization

/// One running controller replica. It "crashed" when its service group ended (returned or threw)
/// before the scenario asked it to stop.
public final class ControllerReplica: Sendable {
    public let runtime: ControllerRuntime
    private let group: ServiceGroup
    private let task: Task<Void, Never>
    private let state = State()

    private final class State: Sendable {
        let stopRequested = Atomic<Bool>(false)
        let endedEarly = Atomic<Bool>(false)
        let failure = Mutex<String?>(nil)
        let runningServices = Mutex<Set<String>>([])
    }

    public init(_ runtime: ControllerRuntime) {
        self.runtime = runtime
        let state = self.state
        let services = runtime.services().map { service in
            TrackedService(name: "\(type(of: service))", inner: service) { name, isRunning in
                state.runningServices.withLock { names in
                    if isRunning { names.insert(name) } else { names.remove(name) }
                }
            }
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [],
            logger: Logger(label: "group", factory: { _ in SwiftLogNoOpLogHandler() })))
        self.group = group
        task = Task {
            do {
                try await group.run()
            } catch {
                state.failure.withLock { $0 = "\(error)" }
            }
            if !state.stopRequested.load(ordering: .relaxed) { state.endedEarly.store(true, ordering: .relaxed) }
        }
    }

    /// True when the replica ended on its own (an error escaped a service, or it returned).
    public var crashed: Bool { state.endedEarly.load(ordering: .relaxed) }
    public var crashReason: String? { state.failure.withLock { $0 } }
    /// The services that have not returned yet, and where the reconcile loop is: what a replica
    /// that does not stop is stuck in.
    public var stuckIn: String {
        let services = state.runningServices.withLock { $0.sorted() }
        return "still running: \(services.isEmpty ? "no service" : services.joined(separator: ", ")); reconcile loop: \(runtime.loopPosition)"
    }

    /// `gracefully: false` is a SIGKILL as far as the cluster can tell: the task is cancelled, no
    /// lease is released, nothing in memory survives. Returns false when the replica did not end
    /// within `seconds` (something ignored the shutdown): the scenario reports it instead of hanging.
    /// A replica already stopped is not asked again.
    @discardableResult
    public func stop(gracefully: Bool = true, within seconds: Double = 60) async -> Bool {
        let task = self.task
        if state.stopRequested.exchange(true, ordering: .relaxed) {
            return await Self.ends(within: seconds) { await task.value }
        }
        if !gracefully { task.cancel() }
        let group = self.group
        return await Self.ends(within: seconds) {
            if gracefully { await group.triggerGracefulShutdown() }
            await task.value
        }
    }

    /// Whether `work` finishes within `seconds`; if not, it is left running.
    private static func ends(within seconds: Double, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let once = Once()
        return await withCheckedContinuation { continuation in
            Task {
                await work()
                if once.first() { continuation.resume(returning: true) }
            }
            Task {
                do { try await Task.sleep(for: .seconds(seconds)) } catch {}  // never cancelled
                if once.first() { continuation.resume(returning: false) }
            }
        }
    }

    private final class Once: Sendable {
        private let done = Atomic<Bool>(false)
        func first() -> Bool { !done.exchange(true, ordering: .relaxed) }
    }
}
