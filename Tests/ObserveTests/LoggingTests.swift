import Foundation
import Logging
import Testing
@testable import Observe

@Suite struct LoggingTests {
    private func jsonObject(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonLinesParseWithFixedFieldsAndFlattenedMetadata() throws {
        let sink = LogLineSink.memory()
        let handler = JSONLogHandler(label: "token-warden.controller", level: .debug, sink: sink, clock: { 1_795_460_141_123 })
        var logger = Logger(label: "token-warden.controller") { _ in handler }
        logger[metadataKey: "replica"] = "a"
        logger.info("restarted workload \"web\"\nnext line", metadata: [
            "namespace": "shop", "kind": "Deployment",
            "deadline": ["seconds": "120", "classification": "at_risk"],
            "pods": ["web-1", "web-2"],
            "level": "collides",
        ])
        logger.trace("not emitted at debug level")

        #expect(sink.lines.count == 1)
        let line = try #require(sink.lines.first)
        #expect(!line.contains("\n"))
        let object = try jsonObject(line)
        #expect(object["time"] as? String == "2026-11-23T18:55:41.123Z")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "token-warden.controller")
        #expect(object["message"] as? String == "restarted workload \"web\"\nnext line")
        #expect(object["namespace"] as? String == "shop")
        #expect(object["replica"] as? String == "a")
        #expect(object["metadata.level"] as? String == "collides")
        #expect((object["deadline"] as? [String: Any])?["classification"] as? String == "at_risk")
        #expect(object["pods"] as? [String] == ["web-1", "web-2"])
        #expect(object["source"] as? String == "ObserveTests")
        // Fixed fields come first, in a stable order.
        #expect(line.hasPrefix("{\"time\":\"2026-11-23T18:55:41.123Z\",\"level\":\"info\",\"logger\":"))
    }

    @Test func everyLevelProducesAParsableLine() throws {
        let sink = LogLineSink.memory()
        let logger = Logger(label: "x") { JSONLogHandler(label: $0, level: .trace, sink: sink) }
        for level in Logger.Level.allCases {
            logger.log(level: level, "message \(level)", metadata: ["control": "\u{01}tab\t"])
        }
        #expect(sink.lines.count == Logger.Level.allCases.count)
        for (line, level) in zip(sink.lines, Logger.Level.allCases) {
            let object = try jsonObject(line)
            #expect(object["level"] as? String == level.rawValue)
            #expect(object["control"] as? String == "\u{01}tab\t")
            let time = try #require(object["time"] as? String)
            #expect(time.count == 24 && time.hasSuffix("Z"))
        }
    }

    @Test func secretsAreNeverPrinted() throws {
        let sink = LogLineSink.memory()
        let textSink = LogLineSink.memory()
        let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl"
        let metadata: Logger.Metadata = [
            "token": "abc123", "Authorization": "Bearer abc123", "bearerToken": "abc123",
            "request": ["headers": ["authorization": "Bearer abc123"]],
            "note": .string(jwt), "header": "Bearer abc123",
            "token-age": "3600", "tokenReloads": "2",
        ]
        Logger(label: "x") { JSONLogHandler(label: $0, sink: sink) }.warning("request failed", metadata: metadata)
        Logger(label: "x") { TextLogHandler(label: $0, sink: textSink) }.warning("request failed", metadata: metadata)
        for line in sink.lines + textSink.lines {
            #expect(!line.contains("abc123"))
            #expect(!line.contains(jwt))
            #expect(line.contains(LogRedaction.placeholder))
        }
        let object = try jsonObject(try #require(sink.lines.first))
        #expect(object["token-age"] as? String == "3600")
        #expect(object["tokenReloads"] as? String == "2")
        #expect(object["token"] as? String == LogRedaction.placeholder)
    }

    @Test func redactionKeyRules() {
        for key in ["token", "bearer-token", "Authorization", "serviceAccountToken", "auth_token", "client.password", "x-api-secret"] {
            #expect(LogRedaction.isSecretKey(key), "\(key)")
        }
        for key in ["token-age", "tokenReloads", "namespace", "secondsAfterWarning", "staleTokens"] {
            #expect(!LogRedaction.isSecretKey(key), "\(key)")
        }
    }

    @Test func textLinesAreReadable() throws {
        let sink = LogLineSink.memory()
        let logger = Logger(label: "token-warden") { TextLogHandler(label: $0, sink: sink, clock: { 0 }) }
        logger.notice("sync done", metadata: ["pods": "12", "reason": "two words"])
        #expect(sink.lines == ["1970-01-01T00:00:00.000Z notice token-warden: sync done pods=12 reason=\"two words\""])
    }

    @Test func flagsParse() throws {
        let (format, level) = try LoggingBootstrap.parse(format: "TEXT", level: "warning")
        #expect(format == .text)
        #expect(level == .warning)
        #expect(throws: LoggingConfigurationError.unknownFormat("xml")) { try LoggingBootstrap.parse(format: "xml", level: "info") }
        #expect(throws: LoggingConfigurationError.unknownLevel("loud")) { try LoggingBootstrap.parse(format: "json", level: "loud") }
        let sink = LogLineSink.memory()
        let factory = LoggingBootstrap.makeHandlerFactory(format: .json, level: .error, sink: sink)
        let logger = Logger(label: "factory", factory: factory)
        logger.info("dropped")
        logger.error("kept")
        #expect(sink.lines.count == 1)
    }

    @Test func rfc3339Formatting() {
        #expect(RFC3339Time.format(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339Time.format(milliseconds: 951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(RFC3339Time.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}
