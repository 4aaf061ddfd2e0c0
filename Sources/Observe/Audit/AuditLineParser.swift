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
    private static let markers: [[UInt8]] = [
        Array("\"authentication.k8s.io/stale-token\"".utf8),
        Array("\"authentication.k8s.io/legacy-token-".utf8),
    ]

    func parse(_ line: UnsafeRawBufferPointer) -> AuditLineOutcome {
        var trimmed = line
        while let last = trimmed.last, last == 0x0D || last == 0x20 || last == 0x09 {
            trimmed = UnsafeRawBufferPointer(rebasing: trimmed.dropLast())
        }
        guard !trimmed.isEmpty else { return .blank }

        if Self.markers.contains(where: { Self.contains(trimmed, $0) }) {
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

    /// Substring search: `memchr` to the next candidate first byte, then `memcmp`
    /// (glibc's `memmem` is a GNU extension Swift does not import).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let base = haystack.baseAddress, let first = needle.first else { return false }
        return needle.withUnsafeBytes { needleBytes in
            var offset = 0
            let lastStart = haystack.count - needle.count
            while offset <= lastStart {
                guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return false }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + position, needleBytes.baseAddress!, needle.count) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }
}
