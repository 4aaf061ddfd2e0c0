/// How one file of a provider's export is being read.
struct ExportedAuditFile {
    let path: String
    /// Set when the file is one JSON document spread over many lines (the pretty-printed output
    /// of `aws logs filter-log-events`): its lines are fed to this scanner, not parsed one by one.
    var document: ExportedAuditEnvelopeScanner?
    var sawLine = false
    /// Lines fed to `document`, for the fallback when it turns out not to be an export.
    var documentLines = 0
}

/// Audit events wrapped by the managed providers' exports (see `ExportedAuditEnvelopeScanner`),
/// detected per file and per line. Raw audit lines never come here: only lines that are not an
/// audit event (no `apiVersion`, or not one JSON value) are looked at again, so the raw path keeps
/// its speed. A wrapper that is not valid JSON counts as one malformed line.
extension AuditLogReader {
    /// Handles `line` if it is (part of) an export; false: count it as it is.
    mutating func unwrapExported(_ line: UnsafeRawBufferPointer) -> Bool {
        let first = exported.sawLine == false
        exported.sawLine = true
        guard let start = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return false }
        let lead = line[start]
        // CloudWatch Logs export to S3 (CreateExportTask): `2026-11-30T10:00:00.000Z {"kind":"Event",…}`.
        if lead >= 0x30 && lead <= 0x39, let space = line[start...].firstIndex(of: 0x20),
           space + 1 < line.count, line[space + 1] == UInt8(ascii: "{") {
            count(parser.parse(UnsafeRawBufferPointer(rebasing: line[(space + 1)...])))
            return true
        }
        guard lead == UInt8(ascii: "{") || lead == UInt8(ascii: "[") else { return false }
        var scanner = ExportedAuditEnvelopeScanner(maximumMessageLength: line.count)
        var found: [[UInt8]] = []
        scanner.feed(line) { found.append(Array($0)) }
        let opensDocument = line[start...].allSatisfy { $0 == lead || $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        if !scanner.failed, !scanner.isAtValueBoundary, first, opensDocument {
            // The first line opens an export document that goes on (`{` alone: pretty-printed
            // CLI output): read the whole file as one.
            for message in found { message.withUnsafeBytes { count(parser.parse($0)) } }
            scanner.maximumMessageLength = options.maximumLineLength
            exported.document = scanner
            exported.documentLines = 1
            return true
        }
        guard scanner.finish(), scanner.messages + scanner.oversizedMessages > 0 || scanner.notEnvelopes == 0 else {
            return false  // not JSON, or JSON but no export: as the raw parser said
        }
        // One line holding one or more envelopes (compact CLI output, subscription payloads).
        for message in found { message.withUnsafeBytes { count(parser.parse($0)) } }
        aggregator.summary.oversizedLines += scanner.oversizedMessages
        return true
    }

    /// The next line of a document being read as one.
    mutating func feedDocument(_ line: UnsafeRawBufferPointer) {
        guard var scanner = exported.document, !scanner.failed else { return }
        exported.document = nil  // taken out while it calls back into the reader
        exported.documentLines += 1
        let fed = scanner.feed(line) { count(parser.parse($0)) } && [UInt8(0x0A)].withUnsafeBytes { scanner.feed($0) { _ in } }
        if !fed, scanner.messages == 0, exported.documentLines == 2 {
            // Its first line only looked like the start of a document: read the file as lines.
            aggregator.summary.lines += 1
            aggregator.summary.malformedLines += 1
            handleLine(line)
            return
        }
        if !fed {
            aggregator.summary.malformedLines += 1
            aggregator.addProblem("\(exported.path): exported audit log is not valid JSON after \(scanner.messages) message(s); stopped reading this file")
        }
        exported.document = scanner
    }

    /// Called once a file is read: a document left open was truncated.
    mutating func finishExported() {
        guard var scanner = exported.document else { return }
        exported.document = nil
        if scanner.failed { return }  // already counted
        if !scanner.finish() {
            aggregator.summary.malformedLines += 1
            aggregator.addProblem("\(exported.path): exported audit log ends inside a JSON value (truncated?); read \(scanner.messages) message(s)")
        }
        if scanner.notEnvelopes > 0 {
            aggregator.summary.malformedLines += scanner.notEnvelopes
            aggregator.addProblem("\(exported.path): \(scanner.notEnvelopes) JSON value(s) without events[], logEvents[] or records[]")
        }
        aggregator.summary.oversizedLines += scanner.oversizedMessages
    }

}
