/// Recent LIST snapshots, so that `continue` pages come from the same state as the first page
/// (etcd reads them at the first page's revision). Copy-on-write tables make a snapshot cheap.
struct SnapshotCache {
    private var entries: [(type: String, version: Int64, table: ResourceTable)] = []
    private let capacity = 16

    func table(type: String, version: Int64) -> ResourceTable? {
        entries.last { $0.type == type && $0.version == version }?.table
    }

    mutating func remember(type: String, version: Int64, table: ResourceTable) {
        if self.table(type: type, version: version) != nil { return }
        entries.append((type, version, table))
        if entries.count > capacity { entries.removeFirst() }
    }

    mutating func removeOlder(than version: Int64) {
        entries.removeAll { $0.version < version }
    }
}
