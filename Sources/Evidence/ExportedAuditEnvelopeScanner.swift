#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pulls the audit events out of the JSON that managed clusters export them in, in one pass and
/// constant memory (one message at a time, never the whole document):
///
/// - Amazon EKS, CloudWatch Logs: `aws logs filter-log-events` prints `{"events": [{"message": …}]}`
///   (pretty-printed, over many lines); subscription payloads (Kinesis / Firehose → S3) are
///   `{"messageType": "DATA_MESSAGE", "logEvents": [{"message": …}]}`, often concatenated without
///   a separator. `CONTROL_MESSAGE` payloads (the health checks CloudWatch sends) carry no events.
/// - Azure AKS, diagnostic settings: `{"records": [{"properties": {"log": …}}]}` (Event Hub and
///   storage), or one record per line (`{"category": "kube-audit", "properties": {"log": …}}`).
///
/// Each `message` / `log` string is one `audit.k8s.io` Event as text; it is unescaped and handed
/// on like a line of a raw audit log. Feed bytes in any chunks; several top-level values may
/// follow one another. A value that breaks JSON syntax is `malformed` and ends the document.
struct ExportedAuditEnvelopeScanner {
    /// Where in the envelope a container is; only these paths hold events.
    private enum Place: Equatable {
        case root, eventList, event, recordList, record, properties, other
    }

    /// Keys that matter; any other key is `.other`.
    private enum Key: Equatable {
        case events, logEvents, records, properties, message, log, messageType, other
    }

    /// What may come next in a container (JSON's grammar, so a broken wrapper is caught).
    private enum Expect {
        case key, colon, value, commaOrClose
    }

    private struct Frame {
        var isObject: Bool
        var place: Place
        /// Objects: the key of the member being read (nil before its key).
        var key: Key?
        var expect: Expect
        /// Nothing read yet: `{}` and `[]` may close here, `{"a":1,}` may not.
        var isEmpty = true
    }

    private enum Lexer {
        /// Between tokens.
        case structure
        /// Inside a string; `escaped` after a backslash.
        case string(escaped: Bool)
        /// Inside a number or `true` / `false` / `null`.
        case bare
    }

    /// Longer messages are skipped and counted (the reader's line limit).
    var maximumMessageLength: Int
    private var stack: [Frame] = []
    private var lexer = Lexer.structure
    /// The string being read is an object key.
    private var readingKey = false
    /// The string being read is kept (a key, a message, the message type).
    private var keeping = false
    private var kept: [UInt8] = []
    private var keptTooLong = false
    /// What the kept string is for.
    private var keptRole = Key.other
    /// The current top-level value is a `CONTROL_MESSAGE`: its log events are not audit events.
    private var isControlMessage = false
    /// The current top-level value had an event list (`events`, `logEvents`, `records`) or was a record.
    private var sawEnvelope = false
    private(set) var failed = false
    /// Top-level values read that were JSON but no export envelope.
    private(set) var notEnvelopes = 0
    private(set) var oversizedMessages = 0
    private(set) var messages = 0

    init(maximumMessageLength: Int) {
        self.maximumMessageLength = maximumMessageLength
    }

    /// True when nothing is open: every value fed so far is complete.
    var isAtValueBoundary: Bool {
        if case .structure = lexer { return stack.isEmpty }
        return false
    }

    /// Feeds bytes; `onMessage` gets each message's unescaped text. Returns false once the input
    /// is not JSON (the rest of the document is then ignored).
    @discardableResult
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onMessage: (UnsafeRawBufferPointer) -> Void) -> Bool {
        guard !failed else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch lexer {
            case .string(let escaped):
                if escaped {
                    lexer = .string(escaped: false)
                    keep(byte)
                    index += 1
                } else if byte == 0x5C {  // backslash
                    lexer = .string(escaped: true)
                    keep(byte)
                    index += 1
                } else if byte == 0x22 {  // closing quote
                    lexer = .structure
                    endString(onMessage)
                    index += 1
                } else {
                    // Most bytes are inside strings: jump to the next quote or backslash.
                    let stop = Self.nextQuoteOrBackslash(bytes, from: index)
                    keep(UnsafeRawBufferPointer(rebasing: bytes[index..<stop]))
                    index = stop
                }
            case .bare:
                if Self.isBare(byte) {
                    index += 1
                } else {
                    lexer = .structure
                    endScalar()
                }
            case .structure:
                guard structural(byte) else {
                    failed = true
                    return false
                }
                index += 1
            }
        }
        return true
    }

    /// At the end of input: false when a value was left open (a truncated document).
    mutating func finish() -> Bool {
        if case .bare = lexer {
            lexer = .structure
            endScalar()
        }
        return !failed && isAtValueBoundary
    }

    // MARK: Structure

    private mutating func structural(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x0A, 0x0D, 0x09:
            return true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard expectsValue else { return false }
            let isObject = byte == UInt8(ascii: "{")
            let place = childPlace(isObject: isObject)
            if place == .record || (stack.isEmpty && !isObject) { sawEnvelope = true }
            beginValue()
            stack.append(Frame(isObject: isObject, place: place, key: nil, expect: isObject ? .key : .value))
            return true
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard let top = stack.last, top.isObject == (byte == UInt8(ascii: "}")) else { return false }
            let closes = top.expect == .commaOrClose || (top.isEmpty && top.expect == (top.isObject ? .key : .value))
            guard closes else { return false }  // `{"a": }`, `[1,]`
            stack.removeLast()
            valueEnded()
            return true
        case UInt8(ascii: ","):
            guard let top = stack.last, top.expect == .commaOrClose else { return false }
            stack[stack.count - 1].expect = top.isObject ? .key : .value
            stack[stack.count - 1].key = nil
            return true
        case UInt8(ascii: ":"):
            guard let top = stack.last, top.isObject, top.expect == .colon else { return false }
            stack[stack.count - 1].expect = .value
            return true
        case UInt8(ascii: "\""):
            readingKey = stack.last.map { $0.isObject && $0.expect == .key } ?? false
            guard readingKey || expectsValue else { return false }
            if readingKey { stack[stack.count - 1].isEmpty = false } else { beginValue() }
            beginString()
            lexer = .string(escaped: false)
            return true
        default:
            guard Self.isBare(byte), expectsValue else { return false }
            beginValue()
            lexer = .bare
            return true
        }
    }

    /// A value may start here: at the top level (values may follow one another), in an array, or
    /// after an object member's colon.
    private var expectsValue: Bool {
        guard let top = stack.last else { return true }
        return top.expect == .value
    }

    /// A value starts in the current container.
    private mutating func beginValue() {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].isEmpty = false
    }

    private func childPlace(isObject: Bool) -> Place {
        // A top-level array (`aws logs filter-log-events --query events`) is an event list.
        guard let top = stack.last else { return isObject ? .root : .eventList }
        switch (top.place, top.key, isObject) {
        case (.root, .events?, false), (.root, .logEvents?, false): return .eventList
        case (.root, .records?, false): return .recordList
        case (.root, .properties?, true), (.record, .properties?, true): return .properties
        case (.eventList, nil, true): return .event
        case (.recordList, nil, true): return .record
        default: return .other
        }
    }

    /// A value in the current container has ended: a comma or the end comes next.
    private mutating func valueEnded() {
        if !stack.isEmpty {
            stack[stack.count - 1].expect = .commaOrClose
            return
        }
        // A top-level value is complete.
        if !sawEnvelope { notEnvelopes += 1 }
        sawEnvelope = false
        isControlMessage = false
    }

    private mutating func endScalar() { valueEnded() }

    // MARK: Strings

    private mutating func beginString() {
        kept.removeAll(keepingCapacity: kept.capacity <= 1 << 20)
        keptTooLong = false
        if readingKey {
            keeping = true
            keptRole = .other
            return
        }
        let top = stack.last
        switch (top?.place, top?.key) {
        case (.event?, .message?), (.properties?, .log?):
            keeping = true
            keptRole = .message
        case (.root?, .messageType?):
            keeping = true
            keptRole = .messageType
        default:
            keeping = false
        }
    }

    private mutating func keep(_ byte: UInt8) {
        guard keeping, !keptTooLong else { return }
        // Keys that matter are short; a message may be as long as a line.
        let limit = readingKey ? 16 : maximumMessageLength
        if kept.count >= limit {
            keptTooLong = true
            return
        }
        kept.append(byte)
    }

    private mutating func keep(_ span: UnsafeRawBufferPointer) {
        guard keeping, !keptTooLong else { return }
        let limit = readingKey ? 16 : maximumMessageLength
        if kept.count + span.count > limit {
            keptTooLong = true
            return
        }
        kept.append(contentsOf: span)
    }

    /// The index of the next `"` or `\` at or after `start` (the end when there is none).
    private static func nextQuoteOrBackslash(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let base = bytes.baseAddress!
        let quote = memchr(base + start, 0x22, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
        guard quote > start, let slash = memchr(base + start, 0x5C, quote - start) else { return quote }
        return base.distance(to: UnsafeRawPointer(slash))
    }

    private mutating func endString(_ onMessage: (UnsafeRawBufferPointer) -> Void) {
        if readingKey {
            readingKey = false
            stack[stack.count - 1].key = keptTooLong ? .other : Self.key(kept)
            stack[stack.count - 1].expect = .colon
            if let top = stack.last, top.place == .root, [.events, .logEvents, .records].contains(top.key) { sawEnvelope = true }
            if let top = stack.last, top.place == .root, top.key == .properties { sawEnvelope = true }
            return
        }
        defer { valueEnded() }
        guard keeping else { return }
        switch keptRole {
        case .messageType:
            isControlMessage = kept == Self.controlMessage
        case .message where !isControlMessage && !kept.starts(with: Self.controlMessageText):
            if keptTooLong {
                oversizedMessages += 1
            } else if let text = JSONStringUnescaper.unescape(kept) {
                messages += 1
                text.withUnsafeBytes { onMessage($0) }
            } else {
                messages += 1
                // Not a valid JSON string escape: hand it on as is, it will count as malformed.
                kept.withUnsafeBytes { onMessage($0) }
            }
        default:
            break
        }
    }

    private static let controlMessage = Array("CONTROL_MESSAGE".utf8)
    /// The text of a control message's one log event (the payload's keys may come in any order).
    private static let controlMessageText = Array("CWL CONTROL MESSAGE".utf8)

    private static func key(_ bytes: [UInt8]) -> Key {
        switch String(decoding: bytes, as: UTF8.self) {
        case "events": return .events
        case "logEvents": return .logEvents
        case "records": return .records
        case "properties": return .properties
        case "message": return .message
        case "log": return .log
        case "messageType": return .messageType
        default: return .other
        }
    }

    /// Bytes of numbers and of `true` / `false` / `null`.
    private static func isBare(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "E")
    }
}
