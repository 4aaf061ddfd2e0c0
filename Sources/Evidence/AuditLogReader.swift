#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads audit log files (JSON lines; plain or gzip, detected by magic bytes) in constant memory
/// and folds them into an `AuditEvidenceReport`. Problems (unreadable file, truncated or corrupt
/// gzip, malformed lines, unknown versions, oversized lines) are counted, never thrown.
public struct AuditLogReader {
    public struct Options: Sendable {
        /// Longer lines are skipped and counted (default 16 MiB, well above any Metadata-level event).
        public var maximumLineLength: Int
        public var readBufferSize: Int
        /// Progress on stderr (`bytes read / total`), throttled; for interactive use.
        public var progress: ProgressSink?

        public init(maximumLineLength: Int = 16 << 20, readBufferSize: Int = 1 << 20, progress: ProgressSink? = nil) {
            self.maximumLineLength = maximumLineLength
            self.readBufferSize = readBufferSize
            self.progress = progress
        }
    }

    public var options: Options
    public internal(set) var aggregator = AuditEvidenceAggregator()
    let parser = AuditLineParser()
    /// How the file being read is wrapped (provider exports); reset per file.
    var exported = ExportedAuditFile(path: "")

    public init(options: Options = Options()) {
        self.options = options
    }

    public func report() -> AuditEvidenceReport { aggregator.report() }

    /// Reads one file; `"-"` reads standard input.
    public mutating func read(path: String) {
        aggregator.summary.files += 1
        exported = ExportedAuditFile(path: path)
        defer { finishExported() }
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            aggregator.summary.unreadableFiles += 1
            aggregator.addProblem("\(path): \(String(cString: strerror(errno)))")
            return
        }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        let total: Int64? = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil

        var buffer = [UInt8](repeating: 0, count: options.readBufferSize)
        var source = ByteSource()
        var readSoFar: Int64 = 0
        options.progress?.begin(name: path, total: total)
        defer { options.progress?.end(name: path, bytes: readSoFar, total: total) }

        while true {
            let count = buffer.withUnsafeMutableBytes { raw in Self.readRetrying(fd, raw) }
            if count < 0 {
                aggregator.summary.unreadableFiles += 1
                aggregator.addProblem("\(path): read failed: \(String(cString: strerror(errno)))")
                break
            }
            if count == 0 {
                finish(&source, path: path)
                break
            }
            readSoFar += Int64(count)
            aggregator.summary.bytesRead += Int64(count)
            options.progress?.update(name: path, bytes: readSoFar, total: total)
            let stop = buffer.withUnsafeBytes { raw in
                consume(UnsafeRawBufferPointer(rebasing: raw[0..<count]), into: &source, path: path)
            }
            if stop { break }
        }
    }

    /// Reads bytes already in memory as one file named `name` (tests, webhook replay).
    public mutating func read(bytes: [UInt8], name: String = "<memory>") {
        aggregator.summary.files += 1
        aggregator.summary.bytesRead += Int64(bytes.count)
        exported = ExportedAuditFile(path: name)
        defer { finishExported() }
        var source = ByteSource()
        let stop = bytes.withUnsafeBytes { consume($0, into: &source, path: name) }
        if !stop { finish(&source, path: name) }
    }

    // MARK: Internals

    /// Per-file decoding state: gzip or not (decided on the first bytes), and the line splitter.
    private struct ByteSource {
        var decided = false
        var inflater: GzipInflater?
        var splitter: AuditLineSplitter?
    }

    /// Returns true when the file cannot be read further (corrupt gzip).
    private mutating func consume(_ bytes: UnsafeRawBufferPointer, into source: inout ByteSource, path: String) -> Bool {
        if !source.decided {
            source.decided = true
            if GzipInflater.isGzip(bytes) { source.inflater = GzipInflater() }
            source.splitter = AuditLineSplitter(maximumLineLength: options.maximumLineLength)
        }
        guard let inflater = source.inflater else {
            source.splitter!.feed(bytes) { handleLine($0) }
            return false
        }
        do {
            try inflater.feed(bytes) { plain in source.splitter!.feed(plain) { handleLine($0) } }
            return false
        } catch {
            _ = source.splitter!.dropPartialLine()
            collectOversized(&source)
            aggregator.summary.corruptFiles += 1
            aggregator.addProblem("\(path): corrupt gzip data (\(Self.describe(error))); stopped reading this file")
            return true
        }
    }

    private mutating func finish(_ source: inout ByteSource, path: String) {
        guard source.decided else { return }
        do {
            try source.inflater?.finish()
            source.splitter!.finish { handleLine($0) }
        } catch {
            // A truncated member's last line is incomplete: drop it rather than count it as malformed.
            _ = source.splitter!.dropPartialLine()
            aggregator.summary.truncatedFiles += 1
            aggregator.addProblem("\(path): gzip stream is truncated; read what was complete")
        }
        collectOversized(&source)
    }

    private mutating func collectOversized(_ source: inout ByteSource) {
        aggregator.summary.oversizedLines += source.splitter?.oversizedLines ?? 0
        source.splitter = nil
    }

    mutating func handleLine(_ line: UnsafeRawBufferPointer) {
        if exported.document != nil { return feedDocument(line) }
        let outcome = parser.parse(line)
        switch outcome {
        case .malformed, .unknownVersion:
            if unwrapExported(line) { return }
        case .blank:
            return
        case .event:
            break
        }
        exported.sawLine = true
        count(outcome)
    }

    /// Counts one line (or one message unwrapped from a provider's export).
    mutating func count(_ outcome: AuditLineOutcome) {
        switch outcome {
        case .blank:
            return
        case .malformed:
            aggregator.summary.lines += 1
            aggregator.summary.malformedLines += 1
        case .unknownVersion:
            aggregator.summary.lines += 1
            aggregator.summary.unknownVersionEvents += 1
        case .event(let evidence):
            aggregator.summary.lines += 1
            aggregator.summary.events += 1
            if let evidence { aggregator.add(evidence) }
        }
    }

    private static func describe(_ error: GzipInflater.Failure) -> String {
        switch error {
        case .truncated: return "truncated"
        case .corrupt(let message): return message
        }
    }

    private static func readRetrying(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            return count
        }
    }
}
