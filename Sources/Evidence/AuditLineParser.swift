import Foundation

/// What one line of an audit log is.
enum AuditLineOutcome {
    case blank
    case malformed
    case unknownVersion
    case event(AuditEventEvidence?)
}

/// Classifies audit log lines: valid events (with their token evidence, if any), malformed
/// lines and events of an unknown API version. Never throws: bad input is an outcome.
struct AuditLineParser {
    private let decoder = JSONDecoder()
    /// Lines with token evidence contain `"authentication.k8s.io/stale-token"` or
    /// `"authentication.k8s.io/legacy-token-…"`: found with one substring search for the common part.
    private static let markerSearch = SubstringSearch(Array("\"authentication.k8s.io/".utf8))
    private static let markerSuffixes: [[UInt8]] = [Array("stale-token\"".utf8), Array("legacy-token-".utf8)]

    func parse(_ line: UnsafeRawBufferPointer) -> AuditLineOutcome {
        var trimmed = line
        while let last = trimmed.last, last == 0x0D || last == 0x20 || last == 0x09 {
            trimmed = UnsafeRawBufferPointer(rebasing: trimmed.dropLast())
        }
        guard !trimmed.isEmpty else { return .blank }

        if Self.mentionsTokenAnnotation(trimmed) {
            return decodeFully(trimmed)
        }
        let scan = JSONLineScanner.scan(trimmed)
        guard scan.isValid else { return .malformed }
        guard let versionRange = scan.apiVersion else { return .unknownVersion }
        let version = String(decoding: UnsafeRawBufferPointer(rebasing: trimmed[versionRange]), as: UTF8.self)
        return AuditVocabulary.knownAPIVersions.contains(version) ? .event(nil) : .unknownVersion
    }

    private func decodeFully(_ line: UnsafeRawBufferPointer) -> AuditLineOutcome {
        let event: AuditEventRecord
        do {
            event = try decoder.decode(AuditEventRecord.self, from: Data(line))
        } catch {
            return .malformed
        }
        guard let version = event.apiVersion, AuditVocabulary.knownAPIVersions.contains(version) else {
            return .unknownVersion
        }
        return .event(AuditEvidenceExtractor.evidence(from: event))
    }

    static func mentionsTokenAnnotation(_ line: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let found = markerSearch.firstIndex(in: line, from: from) {
            let after = found + markerSearch.count
            for suffix in markerSuffixes where after + suffix.count <= line.count {
                if suffix.withUnsafeBytes({ memcmp(line.baseAddress! + after, $0.baseAddress!, suffix.count) }) == 0 {
                    return true
                }
            }
            from = found + 1
        }
        return false
    }
}

/// Boyer–Moore–Horspool search for one fixed needle (glibc's `memmem` is a GNU extension that
/// Swift does not import). On audit lines it skips about a needle's length per step.
struct SubstringSearch: Sendable {
    let needle: [UInt8]
    private let skip: [Int]

    init(_ needle: [UInt8]) {
        precondition(!needle.isEmpty)
        self.needle = needle
        var skip = [Int](repeating: needle.count, count: 256)
        for (index, byte) in needle.dropLast().enumerated() { skip[Int(byte)] = needle.count - 1 - index }
        self.skip = skip
    }

    var count: Int { needle.count }

    func firstIndex(in haystack: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let m = needle.count
        guard haystack.count - start >= m else { return nil }
        return needle.withUnsafeBufferPointer { pattern in
            skip.withUnsafeBufferPointer { skip in
                let last = m - 1
                var position = start
                while position <= haystack.count - m {
                    let tail = haystack[position + last]
                    if tail == pattern[last] {
                        var i = last - 1
                        while i >= 0, haystack[position + i] == pattern[i] { i -= 1 }
                        if i < 0 { return position }
                    }
                    position += skip[Int(tail)]
                }
                return nil
            }
        }
    }
}
