import Foundation

/// What the simulated cluster reconciles: one object (or a namespace's budgets) by kind.
struct WorkKey: Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case pod, replicaSet, replicationController, deployment, statefulSet, daemonSet, job, argoRollout, disruptionBudgets
    }

    var kind: Kind
    var namespace: String
    var name: String

    var description: String { "\(kind.rawValue) \(namespace)/\(name)" }
}

/// A de-duplicating work queue with due times: a key queued twice is worked once, at the
/// earlier time. One worker takes items in due order.
final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var due: [WorkKey: Date] = [:]
    private var stopped = false

    func add(_ key: WorkKey, after delay: TimeInterval = 0) {
        let when = Date().addingTimeInterval(delay)
        condition.lock()
        defer { condition.unlock() }
        if let existing = due[key], existing <= when { return }
        due[key] = when
        condition.signal()
    }

    /// Blocks until an item is due (nil once stopped).
    func next() -> WorkKey? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            let now = Date()
            if let (key, when) = due.min(by: { $0.value < $1.value }) {
                if when <= now {
                    due.removeValue(forKey: key)
                    return key
                }
                _ = condition.wait(until: when)
            } else {
                condition.wait()
            }
        }
        return nil
    }

    /// Items queued and not yet taken.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return due.count
    }

    /// Accepts work again after `stop()`.
    func resume() {
        condition.lock()
        defer { condition.unlock() }
        stopped = false
    }

    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }
}
