/// When the control loop gives freed heap pages back to the kernel (`malloc_trim`): after a
/// relist (the old cache's pages, freed once the new list is swapped in), and otherwise at most
/// once a minute. glibc keeps in its arenas what the churn frees: in an hour's soak against a
/// cluster of constant size the heap in use stayed flat (49–52 MB) while RSS rose about 5 MB an
/// hour between the relists' trims; one trim took 4.9 MB of it back. A trim costs about a
/// millisecond.
struct HeapTrimSchedule {
    static let interval: Duration = .seconds(60)
    /// The relists counted at the last trim (`ProcessMemory.relistCount`).
    private(set) var relistsSeen: Int
    private(set) var lastTrim: ContinuousClock.Instant

    init(relists: Int = 0, now: ContinuousClock.Instant) {
        relistsSeen = relists
        lastTrim = now
    }

    /// Whether to trim now; when it says yes, the trim is taken as done.
    mutating func isDue(relists: Int, now: ContinuousClock.Instant) -> Bool {
        guard relists != relistsSeen || now - lastTrim >= Self.interval else { return false }
        relistsSeen = relists
        lastTrim = now
        return true
    }
}
