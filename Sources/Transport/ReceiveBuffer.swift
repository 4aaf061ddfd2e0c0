import Synchronization

/// Memory a sequence of buffered responses can share: a pager hands each page's body back after
/// decoding it, and the next transfer receives into the same allocation.
///
/// Why: a list page is megabytes. Received into a fresh array it grows by doubling, and every
/// block above malloc's mmap threshold is new memory the kernel must fault in and zero — at 150k
/// pods that was a sixth of the client's CPU. Reused, the pages stay mapped.
public final class ReceiveBuffer: Sendable {
    private let storage = Mutex<[UInt8]>([])
    /// Capacity above which a returned buffer is let go instead of kept.
    public let maximumRetainedBytes: Int

    public init(maximumRetainedBytes: Int = 64 << 20) {
        self.maximumRetainedBytes = maximumRetainedBytes
    }

    /// The kept allocation, emptied, or an empty array; the buffer holds nothing until `keep`.
    func take() -> [UInt8] {
        storage.withLock { kept in
            var bytes: [UInt8] = []
            swap(&bytes, &kept)
            bytes.removeAll(keepingCapacity: true)
            return bytes
        }
    }

    /// Hands `bytes` back (leaving it empty): its allocation serves the next transfer unless it
    /// is larger than `maximumRetainedBytes` or smaller than the one already kept.
    public func keep(_ bytes: inout [UInt8]) {
        if bytes.capacity <= maximumRetainedBytes {
            storage.withLock { kept in
                if bytes.capacity > kept.capacity { swap(&bytes, &kept) }
            }
        }
        bytes = []
    }

    /// The capacity currently kept (for tests).
    public var keptCapacity: Int { storage.withLock { $0.capacity } }
}
