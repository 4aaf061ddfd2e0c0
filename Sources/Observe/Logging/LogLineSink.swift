import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where formatted log lines go: a file descriptor (stdout/stderr) or memory (tests).
///
/// Each line is written with a single `write(2)` under a lock so that lines from concurrent
/// threads never interleave.
public final class LogLineSink: Sendable {
    private enum Target: Sendable {
        case fileDescriptor(Int32)
        case memory
    }

    private let target: Target
    private let state = Mutex<[String]>([])

    private init(target: Target) { self.target = target }

    public static let standardOutput = LogLineSink(target: .fileDescriptor(1))
    public static let standardError = LogLineSink(target: .fileDescriptor(2))

    /// Collects lines in memory; read them with `lines`.
    public static func memory() -> LogLineSink { LogLineSink(target: .memory) }

    /// The lines written so far (memory sinks only).
    public var lines: [String] { state.withLock { $0 } }

    /// Writes one line; a trailing newline is added.
    public func write(line: String) {
        switch target {
        case .memory:
            state.withLock { $0.append(line) }
        case .fileDescriptor(let fd):
            var bytes = Array(line.utf8)
            bytes.append(10)
            state.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { raw in
                        systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                    }
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // Nowhere left to report a failing log stream; drop the line.
                    }
                    offset += written
                }
            }
        }
    }
}

/// `write(2)`, named apart from `LogLineSink.write(line:)`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
