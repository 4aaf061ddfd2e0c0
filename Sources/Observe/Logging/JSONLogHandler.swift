import Logging

/// A swift-log handler that writes one JSON object per line:
///
///     {"time":"2026-11-23T18:55:41.123Z","level":"info","logger":"token-warden.controller",
///      "message":"restarted workload","namespace":"shop","workload":"Deployment/web","source":"Controller"}
///
/// Metadata keys are flattened into the object (as klog's JSON format does); nested dictionaries
/// stay nested objects, arrays stay arrays. A metadata key that collides with a fixed field is
/// written as `metadata.<key>`. Values under secret-looking keys are redacted (`LogRedaction`).
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Adds `"source"` (the emitting module) to each line.
    public var includeSource: Bool
    private let sink: LogLineSink
    private let clock: @Sendable () -> Int64

    static let reservedKeys: Set<String> = ["time", "level", "logger", "message", "source", "error"]

    public init(
        label: String,
        level: Logger.Level = .info,
        sink: LogLineSink = .standardError,
        includeSource: Bool = true,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Int64 = RFC3339Time.nowMilliseconds
    ) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        self.includeSource = includeSource
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"time\":\""
        line.append(RFC3339Time.format(milliseconds: clock()))
        line.append("\",\"level\":\"")
        line.append(event.level.rawValue)
        line.append("\",\"logger\":")
        JSONText.appendString(label, to: &line)
        line.append(",\"message\":")
        JSONText.appendString(event.message.description, to: &line)
        if let error = event.error {
            line.append(",\"error\":")
            JSONText.appendString(String(describing: error), to: &line)
        }
        let merged = LogMetadataMerge.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        for key in merged.keys.sorted() {
            let value = LogRedaction.redact(merged[key]!, key: key)
            line.append(",")
            JSONText.appendString(Self.reservedKeys.contains(key) ? "metadata." + key : key, to: &line)
            line.append(":")
            Self.appendValue(value, to: &line)
        }
        if includeSource {
            line.append(",\"source\":")
            JSONText.appendString(event.source, to: &line)
        }
        line.append("}")
        sink.write(line: line)
    }

    static func appendValue(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let text):
            JSONText.appendString(text, to: &line)
        case .stringConvertible(let convertible):
            JSONText.appendString(convertible.description, to: &line)
        case .array(let values):
            line.append("[")
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(",") }
                appendValue(element, to: &line)
            }
            line.append("]")
        case .dictionary(let dictionary):
            line.append("{")
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line.append(",") }
                JSONText.appendString(key, to: &line)
                line.append(":")
                appendValue(dictionary[key]!, to: &line)
            }
            line.append("}")
        }
    }
}

/// Handler metadata, then the metadata provider's, then the log call's (later wins).
enum LogMetadataMerge {
    static func merge(
        handler: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        event: Logger.Metadata?
    ) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let event, !event.isEmpty {
            merged.merge(event) { _, new in new }
        }
        return merged
    }
}
