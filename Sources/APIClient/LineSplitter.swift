#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reassembles newline-delimited records from a byte stream whose chunk boundaries fall anywhere
/// (inside a line, inside a UTF-8 sequence). A line longer than `maximumLineLength` is an error
/// rather than unbounded memory growth.
public struct LineSplitter: Sendable {
    public struct LineTooLong: Error, CustomStringConvertible {
        public var limit: Int
        public var description: String { "a line exceeded \(limit) bytes" }
    }

    public let maximumLineLength: Int
    private var partial: [UInt8] = []

    public init(maximumLineLength: Int = 64 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Feeds one chunk; returns the complete lines it finished (without the newline, blank lines dropped).
    public mutating func feed(_ chunk: [UInt8]) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        var tooLong = false  // a complete line over the limit: the same error as a growing one
        let limit = maximumLineLength
        chunk.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // memchr finds each newline (vectorised); a line is copied out once.
            while start < buffer.count, let hit = memchr(base + start, 0x0A, buffer.count - start) {
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if partial.isEmpty {
                    if i - start > limit { tooLong = true } else if i > start { lines.append(Array(buffer[start..<i])) }
                } else {
                    partial.append(contentsOf: buffer[start..<i])
                    if partial.count > limit { tooLong = true } else { lines.append(partial) }
                    partial = []
                }
                start = i + 1
            }
            if start < buffer.count { partial.append(contentsOf: buffer[start..<buffer.count]) }
        }
        if tooLong || partial.count > maximumLineLength {
            partial = []
            throw LineTooLong(limit: maximumLineLength)
        }
        return lines.map(Self.trimCarriageReturn).filter { !$0.isEmpty }
    }

    /// What is left when the stream ends: a final line without a newline, if any.
    public mutating func finish() -> [UInt8]? {
        defer { partial = [] }
        let rest = Self.trimCarriageReturn(partial)
        return rest.isEmpty ? nil : rest
    }

    private static func trimCarriageReturn(_ line: [UInt8]) -> [UInt8] {
        line.last == 0x0D ? Array(line.dropLast()) : line
    }
}
