import Assess

/// Instants tagged with a workload and the version of its entry, earliest first. Entries are
/// never removed early: a reader drops those whose version is no longer the workload's.
struct TwinTimeHeap {
    struct Entry: Comparable {
        var time: Int64
        var index: Int
        var version: Int

        static func < (a: Entry, b: Entry) -> Bool { a.time < b.time }
    }

    private var heap = MinHeap<Entry>()

    var first: Entry? { heap.first }

    mutating func push(_ entry: Entry) { heap.push(entry) }

    @discardableResult
    mutating func pop() -> Entry? { heap.pop() }
}
