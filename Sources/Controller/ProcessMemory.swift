import Synchronization
#if canImport(Glibc)
import Glibc

/// glibc's `mallopt` and `malloc_trim` (malloc.h), which the Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// How the controller process uses memory: the C heap (glibc malloc) and the pages of its code.
public enum ProcessMemory {
    /// glibc's `M_ARENA_MAX`.
    private static let arenaMaxParameter: Int32 = -8
    /// glibc's `M_MMAP_THRESHOLD`.
    private static let mmapThresholdParameter: Int32 = -3
    /// Linux's `MADV_PAGEOUT` (5.4+; older kernels answer EINVAL and nothing happens).
    private static let pageOutAdvice: Int32 = 21

    /// Caps glibc malloc at `arenas` arenas. By default every thread that allocates gets its own
    /// arena, up to 8 per CPU the node reports (not the pod's CPU limit): each one keeps freed memory
    /// and its own fragmentation. The controller's threads (Swift's cooperative pool, the libcurl loop,
    /// the HTTP endpoints) allocate little and rarely at the same time, so two arenas are enough.
    /// `MALLOC_ARENA_MAX` in the environment, when set, wins. Call first thing in `main`.
    public static func limitMallocArenas(to arenas: Int32 = 2) {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = glibcMallopt(arenaMaxParameter, arenas)
        #endif
    }

    /// Serves every allocation of `bytes` or more with its own mapping, returned to the kernel
    /// when freed. glibc starts at 128 KiB but raises the threshold to the size of each large
    /// block freed (up to 32 MiB), after which list pages (5–20 MB each) come from the heap; the
    /// small cache records allocated between them then pin that heap, and it cannot shrink.
    /// Fixing the threshold keeps page buffers off the heap (measured: 1,282 → 979 retained bytes
    /// per cached pod at 20k pods). `MALLOC_MMAP_THRESHOLD_` in the environment, when set, wins.
    public static func keepLargeBuffersOffTheHeap(threshold bytes: Int32 = 256 << 10) {
        #if canImport(Glibc)
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return }
        _ = glibcMallopt(mmapThresholdParameter, bytes)
        #endif
    }

    /// Once the caches have synced, gives back what only start-up needed:
    /// - freed heap pages (`malloc_trim(0)`): the initial LISTs' page buffers are free, but glibc
    ///   keeps them mapped;
    /// - the read-only file pages of the executable and its libraries (`MADV_PAGEOUT`). Dynamic
    ///   loading, argument parsing, configuration, the Swift runtime's first type lookups and the
    ///   TLS library set-up touch code and tables all over the ~100 MB binary and libcurl's thirty
    ///   libraries, and the kernel maps 64 KiB around every such page. That code never runs again;
    ///   whatever the controller does use faults back in from the page cache (or the image) on its
    ///   next access. Pages other processes map as well are left alone by the kernel.
    /// Writable mappings (data, relocated tables, heap, stacks) are not touched.
    public static func releaseStartupMemory() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        guard let maps = fopen("/proc/self/maps", "r") else { return }
        defer { fclose(maps) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, maps) > 0, let line {
            guard let range = readOnlyFileMapping(String(cString: line)) else { continue }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.start), Int(range.end - range.start), pageOutAdvice)
        }
        #endif
    }

    /// Relists finished since the process started (`noteRelist`, from the reflectors' observer).
    private static let relists = Atomic<Int>(0)

    /// A reflector replaced its cache with a fresh list (after a 410, a server restart, …).
    public static func noteRelist() {
        relists.add(1, ordering: .relaxed)
    }

    /// Relists finished so far (`HeapTrimSchedule` trims after each). A relist holds the new list
    /// beside the old cache until it swaps them; glibc keeps the old cache's pages mapped once
    /// freed, so without a trim every kind of fault raised the RSS to a new high-water mark that
    /// stayed (the soak's steps).
    public static var relistCount: Int { relists.load(ordering: .relaxed) }

    /// Gives freed heap pages back to the kernel (`malloc_trim(0)`): about a millisecond.
    public static func returnFreedHeap() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }

    /// `start-end perms offset dev inode path` → the range, for a private read-only (`r--p`,
    /// `r-xp`) mapping of a file; nil for anything writable, anonymous or special (`[vdso]`).
    static func readOnlyFileMapping(_ line: String) -> (start: UInt, end: UInt)? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 6, fields[1] == "r--p" || fields[1] == "r-xp",
              fields[5].hasPrefix("/") else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
              end > start else { return nil }
        return (start, end)
    }
}
