import Foundation
import KubeSim
import Synchronization

/// Prints what happens, as it happens: every Kubernetes Event the controller records (what
/// `kubectl get events -w` would show), read from the simulated API server, one line each.
public final class DemoNarrator: Sendable {
    public struct Line: Sendable {
        public var type: String
        public var reason: String
        public var object: String
        public var message: String
    }

    private let started = ContinuousClock.now
    private let output: @Sendable (String) -> Void
    private let lines = Mutex<[Line]>([])
    private let subscription = Mutex<StoreSubscription?>(nil)

    public init(output: @escaping @Sendable (String) -> Void) {
        self.output = output
    }

    public var recorded: [Line] { lines.withLock { $0 } }

    public func say(_ text: String) {
        output("\(stamp())  \(text)")
    }

    /// Follows the Events written to `store` from now on.
    public func follow(_ store: ResourceStore) {
        let handle = store.subscribe([ResourceCatalog.events], name: "demo-narrator") { [self] delivery in
            guard case .events(let events) = delivery else { return }
            for event in events where event.kind == .added {
                narrate(event.object.value)
            }
        }
        subscription.withLock { $0 = handle }
    }

    public func stop() {
        subscription.withLock { $0?.cancel() }
    }

    private func narrate(_ event: JSONValue) {
        let involved = event["involvedObject"] ?? .null
        let kind = involved["kind"]?.stringValue ?? "?"
        let namespace = involved["namespace"]?.stringValue.map { "\($0)/" } ?? ""
        let line = Line(
            type: event["type"]?.stringValue ?? "Normal", reason: event["reason"]?.stringValue ?? "?",
            object: "\(kind) \(namespace)\(involved["name"]?.stringValue ?? "?")",
            message: event["message"]?.stringValue ?? "")
        lines.withLock { $0.append(line) }
        let marker = line.type == "Warning" ? "!" : " "
        let reason = line.reason.padding(toLength: 18, withPad: " ", startingAt: 0)
        let object = line.object.padding(toLength: 36, withPad: " ", startingAt: 0)
        output("\(stamp()) \(marker) \(reason) \(object) \(Self.shorten(line.message, to: 110))")
    }

    private func stamp() -> String {
        let elapsed = ContinuousClock.now - started
        let tenths = elapsed.components.seconds * 10 + elapsed.components.attoseconds / 100_000_000_000_000_000
        return String(format: "[%3lld.%llds]", tenths / 10, tenths % 10)
    }

    static func shorten(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
