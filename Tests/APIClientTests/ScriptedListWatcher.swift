import APIClient
import KubeModel
import Synchronization
import WatchCache

/// A `ListWatcher` played from a script, without a server: each list or watch takes the next
/// step and is recorded ("list", "stream", "watch RV"). When the script is spent, a watch stays
/// open until the reflector is cancelled.
final class ScriptedListWatcher: Sendable {
    enum Step: Sendable {
        /// A LIST's pages, all together, and its resourceVersion.
        case list([Pod], resourceVersion: String)
        /// A watch (or streaming sync) that delivers these events, then ends as the server's
        /// timeout ends it; it lasts `lasting` on the scripted clock.
        case watch([WatchEvent<Pod>], lasting: Duration = .zero)
        /// A list or watch that fails before any event.
        case fail(any Error)
    }

    private let steps: Mutex<[Step]>
    private let calls = Mutex<[String]>([])
    let clock: ScriptedReflectorClock

    init(_ steps: [Step], clock: ScriptedReflectorClock) {
        self.steps = Mutex(steps)
        self.clock = clock
    }

    /// What the reflector asked for, in order.
    var requests: [String] { calls.withLock { $0 } }

    /// Whether every step has been taken and the reflector is waiting on a last, open watch.
    var isSpent: Bool { steps.withLock { $0.isEmpty } && calls.withLock { $0.count } > 0 && waiting.load(ordering: .relaxed) }
    private let waiting = Atomic<Bool>(false)

    private func take(_ call: String) -> Step? {
        calls.withLock { $0.append(call) }
        return steps.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    static let unexpected = APIError.decoding(what: "scripted step", path: "/", detail: "the script did not expect this call")
}

extension ScriptedListWatcher: ListWatcher {
    func listAll<Object: KubeObject, Entry>(
        _ type: Object.Type, namespace: String?, labelSelector: String?, fieldSelector: String?,
        pageSize: Int, progress: (@Sendable (Int, Int?) -> Void)?, transform: (Object) -> Entry
    ) async throws -> (items: [Entry], resourceVersion: String) {
        switch take("list") {
        case .list(let pods, let rv):
            guard let objects = pods as? [Object] else { throw Self.unexpected }
            return (objects.map(transform), rv)
        case .fail(let error):
            throw error
        case .watch, nil:
            throw Self.unexpected
        }
    }

    func watch<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, resourceVersion: String?, timeoutSeconds: Int,
        labelSelector: String?, fieldSelector: String?, allowBookmarks: Bool, sendInitialEvents: Bool
    ) async throws -> WatchEventStream<Object> {
        let step = take(sendInitialEvents ? "stream" : "watch \(resourceVersion ?? "")")
        switch step {
        case .watch(let events, let lasting):
            guard let typed = events as? [WatchEvent<Object>] else { throw Self.unexpected }
            clock.advance(by: lasting)
            let (stream, continuation) = AsyncThrowingStream<WatchEvent<Object>, any Error>.makeStream()
            for event in typed { continuation.yield(event) }
            continuation.finish()
            return WatchEventStream(stream)
        case .fail(let error):
            throw error
        case .list:
            throw Self.unexpected
        case nil:
            // The script is spent: an open, quiet watch until the reflector is cancelled.
            waiting.store(true, ordering: .relaxed)
            let (stream, continuation) = AsyncThrowingStream<WatchEvent<Object>, any Error>.makeStream()
            let keepAlive = Task {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }  // cancellation ends it
                continuation.finish()
            }
            continuation.onTermination = { _ in keepAlive.cancel() }
            return WatchEventStream(stream)
        }
    }
}

/// Scripted time: reading it is free, sleeping only records the wait and moves it on.
final class ScriptedReflectorClock: ReflectorClock {
    private let origin = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)
    private let slept = Mutex<[Duration]>([])

    var now: ContinuousClock.Instant { origin + offset.withLock { $0 } }
    /// Every wait the reflector asked for, in order.
    var waits: [Duration] { slept.withLock { $0 } }

    func advance(by duration: Duration) { offset.withLock { $0 += duration } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        slept.withLock { $0.append(duration) }
        advance(by: duration)
        await Task.yield()
    }
}
