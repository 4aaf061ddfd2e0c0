import KubeModel

/// Workloads by one instant each, the earliest at hand: a binary min-heap whose entries are
/// reminders checked against `instants`, so a workload that changes or goes leaves its old entry
/// behind to be dropped when it comes up instead of being searched for. Rebuilt when such
/// entries pile up.
public struct InstantIndex: Sendable {
    private struct Entry: Sendable, Comparable {
        var at: Timestamp
        var workload: WorkloadID

        static func < (a: Entry, b: Entry) -> Bool { a.at < b.at }
    }

    private var heap = MinHeap<Entry>()
    public private(set) var instants: [WorkloadID: Timestamp] = [:]

    public init() {}

    public mutating func set(_ workload: WorkloadID, _ instant: Timestamp?) {
        guard instants[workload] != instant else { return }
        instants[workload] = instant
        if let instant { heap.push(Entry(at: instant, workload: workload)) }
        if heap.count > 2 * instants.count + 1024 {
            heap = MinHeap()
            heap.reserveCapacity(instants.count)
            for (workload, at) in instants { heap.push(Entry(at: at, workload: workload)) }
        }
    }

    /// The earliest instant held (reminders of changed workloads on top are dropped first).
    public mutating func earliest() -> Timestamp? {
        while let top = heap.first {
            if instants[top.workload] == top.at { return top.at }
            heap.pop()
        }
        return nil
    }

    /// Removes and returns the workloads whose instant is at or before `now`.
    public mutating func removeDue(_ now: Timestamp) -> [WorkloadID] {
        var due: [WorkloadID] = []
        while let top = heap.first, top.at <= now {
            heap.pop()
            guard instants[top.workload] == top.at else { continue }
            instants[top.workload] = nil
            due.append(top.workload)
        }
        return due
    }
}
