import Foundation
import Synchronization

/// Changes random pods at a steady rate — the annotation `kube-sim.dev/churn` set to a counter,
/// one MODIFIED event each — for measuring a controller's steady state (`POST /kube-sim/churn`).
/// The pods are the ones that exist when it starts; one deleted since is skipped.
final class PodChurn: Sendable {
    private let store: ResourceStore
    /// Bumped by every start and stop: a running loop ends when it no longer matches.
    private let generation = Atomic<Int>(0)
    let changes = Atomic<Int>(0)

    init(store: ResourceStore) { self.store = store }

    /// Starts changing `perSecond` pods a second (0 or less: stops).
    func start(perSecond: Double) {
        let mine = generation.add(1, ordering: .relaxed).newValue
        guard perSecond > 0 else { return }
        let pods = store.objects(ResourceCatalog.pods).map { ($0.namespace, $0.name) }
        guard !pods.isEmpty else { return }
        let interval = 1.0 / perSecond
        let thread = Thread { [self] in
            var random = SystemRandomNumberGenerator()
            var next = Date()
            while generation.load(ordering: .relaxed) == mine {
                let (namespace, name) = pods.randomElement(using: &random)!  // not empty: checked above
                let count = changes.add(1, ordering: .relaxed).newValue
                do {
                    try store.modify(ResourceCatalog.pods, namespace: namespace, name: name) { value in
                        value.set(.string(String(count)), at: ["metadata", "annotations", "kube-sim.dev/churn"])
                    }
                } catch {
                    // Deleted since the churn started (a rollout replaced it): skipped, not an error.
                }
                next.addTimeInterval(interval)  // a steady rate, whatever one change took
                let wait = next.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
        }
        thread.name = "kube-sim-churn"
        thread.start()
    }
}
