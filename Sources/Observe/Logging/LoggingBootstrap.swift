import Logging

/// `--log-format`: one JSON object per line (default, for log pipelines) or human-readable text.
public enum LogFormat: String, CaseIterable, Sendable {
    case json
    case text
}

/// Errors from parsing the logging flags.
public enum LoggingConfigurationError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(String)
    case unknownLevel(String)

    public var description: String {
        switch self {
        case .unknownFormat(let value):
            return "unknown log format \"\(value)\" (expected one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownLevel(let value):
            return "unknown log level \"\(value)\" (expected one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}

/// Installs the process-wide log handler from `--log-format` and `--log-level`.
///
/// `LoggingSystem.bootstrap` may be called only once per process; call this first thing in
/// `run()`. Logs go to stderr (stdout stays free for command output such as `report -o json`).
public enum LoggingBootstrap {
    public static func parse(format: String, level: String) throws -> (LogFormat, Logger.Level) {
        guard let parsedFormat = LogFormat(rawValue: format.lowercased()) else {
            throw LoggingConfigurationError.unknownFormat(format)
        }
        guard let parsedLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw LoggingConfigurationError.unknownLevel(level)
        }
        return (parsedFormat, parsedLevel)
    }

    /// A handler factory for `LoggingSystem.bootstrap`, exposed so tests can use it without bootstrapping.
    public static func makeHandlerFactory(
        format: LogFormat,
        level: Logger.Level,
        sink: LogLineSink = .standardError
    ) -> @Sendable (String) -> any LogHandler {
        switch format {
        case .json:
            return { label in JSONLogHandler(label: label, level: level, sink: sink) }
        case .text:
            return { label in TextLogHandler(label: label, level: level, sink: sink) }
        }
    }

    /// Parses the flags and bootstraps swift-log. Throws on an unknown format or level.
    public static func bootstrap(format: String, level: String, sink: LogLineSink = .standardError) throws {
        let (parsedFormat, parsedLevel) = try parse(format: format, level: level)
        LoggingSystem.bootstrap(makeHandlerFactory(format: parsedFormat, level: parsedLevel, sink: sink))
    }
}
