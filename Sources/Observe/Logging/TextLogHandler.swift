import Logging

/// A swift-log handler for humans: `2026-11-23T18:55:41.123Z info token-warden.controller: message key=value …`.
///
/// Values containing spaces, quotes or `=` are quoted. Secret-looking metadata is redacted.
public struct TextLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogLineSink
    private let clock: @Sendable () -> Int64

    public init(
        label: String,
        level: Logger.Level = .info,
        sink: LogLineSink = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Int64 = RFC3339Time.nowMilliseconds
    ) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = RFC3339Time.format(milliseconds: clock())
        line.append(" ")
        line.append(event.level.rawValue)
        line.append(" ")
        line.append(label)
        line.append(": ")
        line.append(event.message.description)
        if let error = event.error {
            line.append(" error=")
            line.append(Self.quotedIfNeeded(String(describing: error)))
        }
        let merged = LogMetadataMerge.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        for key in merged.keys.sorted() {
            let value = LogRedaction.redact(merged[key]!, key: key)
            line.append(" ")
            line.append(key)
            line.append("=")
            line.append(Self.quotedIfNeeded(Self.render(value)))
        }
        sink.write(line: line)
    }

    static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.keys.sorted().map { "\($0)=\(render(dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    static func quotedIfNeeded(_ text: String) -> String {
        if text.isEmpty { return "\"\"" }
        let needsQuotes = text.utf8.contains { $0 <= 32 || $0 == 34 || $0 == 61 || $0 == 92 }
        return needsQuotes ? JSONText.quoted(text) : text
    }
}
