#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines without holding more than one line in memory.
///
/// Lines longer than `maximumLineLength` are skipped up to their newline and counted: a
/// RequestResponse-level event of a huge object must not make the reader's memory grow.
struct AuditLineSplitter {
    let maximumLineLength: Int
    private var carry: [UInt8] = []
    private var discarding = false
    private(set) var oversizedLines = 0

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer) -> Void) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            let remaining = chunk.count - start
            guard let found = memchr(base + start, 0x0A, remaining) else {
                append(UnsafeRawBufferPointer(start: base + start, count: remaining))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if discarding {
                discarding = false
            } else if carry.isEmpty {
                if piece.count > maximumLineLength {
                    oversizedLines += 1
                } else {
                    onLine(piece)
                }
            } else {
                append(piece)
                if !discarding {
                    carry.withUnsafeBytes { onLine($0) }
                }
                discarding = false
                carry.removeAll(keepingCapacity: carry.capacity <= 1 << 20)
            }
            start = end + 1
        }
    }

    /// Delivers a last line that had no newline.
    mutating func finish(_ onLine: (UnsafeRawBufferPointer) -> Void) {
        if !discarding, !carry.isEmpty {
            carry.withUnsafeBytes { onLine($0) }
        }
        carry.removeAll()
        discarding = false
    }

    /// Forgets a partial line (used when a gzip stream turns out to be truncated).
    mutating func dropPartialLine() -> Bool {
        let had = !carry.isEmpty
        carry.removeAll()
        discarding = false
        return had
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !discarding else { return }
        if carry.count + bytes.count > maximumLineLength {
            carry.removeAll()
            discarding = true
            oversizedLines += 1
            return
        }
        carry.append(contentsOf: bytes)
    }
}
