import KubeModel

/// Workloads by the instant their classification next changes by the clock alone (a binary
/// min-heap). An entry is only a reminder: the caller checks that the workload still has that
/// instant, so a re-assessed workload's old entry is dropped when it comes up, not searched for.
struct TransitionQueue: Sendable, Equatable {
    private struct Entry: Sendable, Comparable {
        var at: Timestamp
        var workload: WorkloadID

        static func < (a: Entry, b: Entry) -> Bool { a.at < b.at }
    }

    private var heap = MinHeap<Entry>()

    var count: Int { heap.count }

    mutating func insert(_ workload: WorkloadID, at instant: Timestamp) {
        heap.push(Entry(at: instant, workload: workload))
    }

    /// Removes and returns every entry due at `now` (at or before it).
    mutating func popDue(_ now: Timestamp) -> [(WorkloadID, Timestamp)] {
        var due: [(WorkloadID, Timestamp)] = []
        while let first = heap.first, first.at <= now {
            due.append((first.workload, first.at))
            heap.pop()
        }
        return due
    }

    /// Rebuilt from the current instants when reminders of re-assessed workloads pile up.
    mutating func rebuild(_ instants: [(WorkloadID, Timestamp)]) {
        heap = MinHeap()
        heap.reserveCapacity(instants.count)
        for (workload, at) in instants { insert(workload, at: at) }
    }
}
