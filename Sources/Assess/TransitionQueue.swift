import KubeModel

/// Workloads by the instant their classification next changes by the clock alone (a binary
/// min-heap). An entry is only a reminder: the caller checks that the workload still has that
/// instant, so a re-assessed workload's old entry is dropped when it comes up, not searched for.
struct TransitionQueue: Sendable, Equatable {
    private struct Entry: Sendable, Equatable {
        var at: Timestamp
        var workload: WorkloadID
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }

    mutating func insert(_ workload: WorkloadID, at instant: Timestamp) {
        heap.append(Entry(at: instant, workload: workload))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every entry due at `now` (at or before it).
    mutating func popDue(_ now: Timestamp) -> [(WorkloadID, Timestamp)] {
        var due: [(WorkloadID, Timestamp)] = []
        while let first = heap.first, first.at <= now {
            due.append((first.workload, first.at))
            let last = heap.removeLast()
            guard !heap.isEmpty else { break }
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].at < heap[smallest].at { smallest = left }
                if right < heap.count, heap[right].at < heap[smallest].at { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return due
    }

    /// Rebuilt from the current instants when reminders of re-assessed workloads pile up.
    mutating func rebuild(_ instants: [(WorkloadID, Timestamp)]) {
        heap = []
        heap.reserveCapacity(instants.count)
        for (workload, at) in instants { insert(workload, at: at) }
    }
}
