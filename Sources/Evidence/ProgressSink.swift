import Synchronization
import Observe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long read on stderr: `audit.log.gz: 1.2 GiB / 4.8 GiB (25%)`, redrawn in place
/// at most twice a second so that printing never costs throughput.
public final class ProgressSink: Sendable {
    private let lastDraw = Mutex<Int64>(0)
    private let fd: Int32

    public init(fileDescriptor: Int32 = 2) { fd = fileDescriptor }

    func begin(name: String, total: Int64?) {
        lastDraw.withLock { $0 = 0 }
    }

    func update(name: String, bytes: Int64, total: Int64?) {
        let now = RFC3339Time.nowMilliseconds()
        let due = lastDraw.withLock { last -> Bool in
            guard now - last >= 500 else { return false }
            last = now
            return true
        }
        if due { draw(name: name, bytes: bytes, total: total, final: false) }
    }

    func end(name: String, bytes: Int64, total: Int64?) {
        draw(name: name, bytes: bytes, total: total, final: true)
    }

    private func draw(name: String, bytes: Int64, total: Int64?, final: Bool) {
        var text = "\r\(name): \(Self.humanBytes(bytes))"
        if let total, total > 0 {
            text += " / \(Self.humanBytes(total)) (\(min(100, bytes * 100 / total))%)"
        }
        text += final ? "\n" : "\u{1B}[K"
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }  // Progress is best effort.
    }

    static func humanBytes(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
