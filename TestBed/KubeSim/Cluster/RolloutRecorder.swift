import Foundation

/// Records, for every workload, when each rollout started and ended (as the simulated
/// controllers see it: a Deployment from a new template until `kubectl rollout status` would
/// say it is done; a StatefulSet / DaemonSet until every pod is updated and ready; a bare
/// ReplicaSet / ReplicationController while it is short of ready pods), and the largest number
/// of rollouts in progress at the same time, cluster-wide and per namespace.
public final class RolloutRecorder: Sendable {
    public struct Rollout: Sendable, Equatable {
        public var kind: String
        public var namespace: String
        public var name: String
        public var started: Date
        /// nil while in progress.
        public var ended: Date?
    }

    private struct State {
        var rollouts: [Rollout] = []
        var open: [String: Int] = [:]  // workload key → index in rollouts
        var maxConcurrent = 0
        var maxConcurrentByNamespace: [String: Int] = [:]
    }

    private let state = LockedBox(State())

    public init() {}

    private static func key(_ kind: String, _ namespace: String, _ name: String) -> String { "\(kind)/\(namespace)/\(name)" }

    /// Called by the controllers after each reconcile of a workload.
    func update(kind: String, namespace: String, name: String, inProgress: Bool, now: Date = Date()) {
        let key = Self.key(kind, namespace, name)
        state.withLock { state in
            if inProgress, state.open[key] == nil {
                state.rollouts.append(Rollout(kind: kind, namespace: namespace, name: name, started: now))
                state.open[key] = state.rollouts.count - 1
                state.maxConcurrent = max(state.maxConcurrent, state.open.count)
                let inNamespace = state.open.values.filter { state.rollouts[$0].namespace == namespace }.count
                state.maxConcurrentByNamespace[namespace] = max(state.maxConcurrentByNamespace[namespace] ?? 0, inNamespace)
            } else if !inProgress, let index = state.open.removeValue(forKey: key) {
                state.rollouts[index].ended = now
            }
        }
    }

    /// A deleted workload's open rollout ends.
    func forget(kind: String, namespace: String, name: String) {
        update(kind: kind, namespace: namespace, name: name, inProgress: false)
    }

    /// Every rollout seen, in start order (optionally of one workload).
    public func rollouts(kind: String? = nil, namespace: String? = nil, name: String? = nil) -> [Rollout] {
        state.withLock { state in
            state.rollouts.filter { rollout in
                (kind == nil || rollout.kind == kind) && (namespace == nil || rollout.namespace == namespace)
                    && (name == nil || rollout.name == name)
            }
        }
    }

    /// Rollouts in progress now.
    public var inProgress: [Rollout] {
        state.withLock { state in state.open.values.sorted().map { state.rollouts[$0] } }
    }

    /// The most rollouts in progress at once, cluster-wide.
    public var maxConcurrent: Int { state.withLock { $0.maxConcurrent } }

    /// The most rollouts in progress at once within `namespace`.
    public func maxConcurrent(namespace: String) -> Int { state.withLock { $0.maxConcurrentByNamespace[namespace] ?? 0 } }

    /// The most rollouts in progress at once within any single namespace.
    public var maxConcurrentInAnyNamespace: Int { state.withLock { $0.maxConcurrentByNamespace.values.max() ?? 0 } }

    /// Forgets finished rollouts and the maxima (open ones stay open).
    public func reset() {
        state.withLock { state in
            let open = state.open.values.sorted().map { state.rollouts[$0] }
            state = State()
            for rollout in open {
                state.rollouts.append(rollout)
                state.open[Self.key(rollout.kind, rollout.namespace, rollout.name)] = state.rollouts.count - 1
            }
        }
    }
}
