/// What happens next in the twin, earliest first (ties in the order they were scheduled).
struct TwinEventQueue {
    enum Event {
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

    private var heap: [(time: Int64, order: Int, event: Event)] = []
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Int64? { heap.first?.time }

    mutating func schedule(_ event: Event, at time: Int64) {
        heap.append((time, scheduled, event))
        scheduled += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (time: Int64, event: Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, less(left, smallest) { smallest = left }
            if right < heap.count, less(right, smallest) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (top.time, top.event)
    }

    private func less(_ a: Int, _ b: Int) -> Bool { (heap[a].time, heap[a].order) < (heap[b].time, heap[b].order) }
}
