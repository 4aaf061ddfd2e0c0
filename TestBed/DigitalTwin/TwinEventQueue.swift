import Assess

/// What happens next in the twin, earliest first (ties in the order they were scheduled).
struct TwinEventQueue {
    enum Event: Equatable {
        /// The controller runs a pass (its requeue, or a change it watches).
        case pass
        /// The owners redeploy the workload (every pod replaced).
        case redeploy(Int)
        /// A pod of the workload dies and is replaced.
        case podDeath(Int)
        /// Our rollout of the workload finishes.
        case rolloutEnd(Int)
        /// A replacement pod of the workload becomes Ready.
        case ready(Int)
        /// The cluster upgrade begins: every workload's pods restarted within a few hours.
        case upgrade
        /// The upgrade reaches the workload: its pods are restarted.
        case upgradeWorkload(Int)
        /// The ServiceAccount signing key is rotated; the controller is told at once.
        case keyRotation
        case outageStart
        case outageEnd
    }

    /// Ties in the order they were scheduled.
    private struct Scheduled: Comparable {
        var time: Int64
        var order: Int
        var event: Event

        static func < (a: Scheduled, b: Scheduled) -> Bool { (a.time, a.order) < (b.time, b.order) }
    }

    private var heap = MinHeap<Scheduled>()
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Int64? { heap.first?.time }

    mutating func schedule(_ event: Event, at time: Int64) {
        heap.push(Scheduled(time: time, order: scheduled, event: event))
        scheduled += 1
    }

    mutating func pop() -> (time: Int64, event: Event)? {
        heap.pop().map { ($0.time, $0.event) }
    }
}
