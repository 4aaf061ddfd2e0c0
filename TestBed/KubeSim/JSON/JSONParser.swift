/// A fast recursive-descent JSON parser working directly on UTF-8 bytes (RFC 8259, strict).
/// Duplicate object keys keep the last value, at the position of the first (like Go).
public struct JSONParser {
    /// Deeper documents are rejected instead of overflowing the stack.
    public static let maximumDepth = 512

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(buffer)
        return try parser.parseDocument()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    // Members and elements of the containers being parsed, shared by all nesting levels so each
    // finished container is built once at its exact size.
    private var keyStack: [String] = []
    private var valueStack: [JSONValue] = []  // parallel to keyStack
    private var elementStack: [JSONValue] = []
    // Keys longer than 15 bytes are heap strings; Kubernetes repeats them in every object
    // ("terminationMessagePath", "lastTransitionTime"…), so they are shared instead of re-made.
    private var longKeys = [String?](repeating: nil, count: 256)

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count { throw invalid("after top-level value") }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw unexpectedEnd() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw invalid("looking for beginning of value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > Self.maximumDepth { throw JSONParseError(message: "exceeded max depth", offset: position) }
        defer { depth -= 1 }
        position += 1  // {
        skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject())
        }
        let base = keyStack.count
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw invalid("looking for beginning of object key string")
            }
            let key = try parseKey()
            skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            guard bytes[position] == UInt8(ascii: ":") else { throw invalid("after object key") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if let duplicate = indexOfKey(key, from: base) {
                valueStack[duplicate] = value
            } else {
                keyStack.append(key)
                valueStack.append(value)
            }
            skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                let object = JSONObject(uncheckedKeys: Array(keyStack[base...]), values: Array(valueStack[base...]))
                keyStack.removeSubrange(base...)
                valueStack.removeSubrange(base...)
                return .object(object)
            default:
                throw invalid("after object key:value pair")
            }
        }
    }

    private func indexOfKey(_ key: String, from base: Int) -> Int? {
        let length = key.utf8.count
        var index = base
        while index < keyStack.count {
            let candidate = keyStack[index]
            if candidate.utf8.count == length && candidate == key { return index }
            index += 1
        }
        return nil
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > Self.maximumDepth { throw JSONParseError(message: "exceeded max depth", offset: position) }
        defer { depth -= 1 }
        position += 1  // [
        skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        let base = elementStack.count
        while true {
            skipWhitespace()
            let element = try parseValue()
            elementStack.append(element)
            skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                let array = Array(elementStack[base...])
                elementStack.removeSubrange(base...)
                return .array(array)
            default:
                throw invalid("after array element")
            }
        }
    }

    // MARK: Strings

    private mutating func parseKey() throws(JSONParseError) -> String {
        let start = position + 1
        var end = start
        var hash: UInt32 = 2_166_136_261
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            hash = (hash ^ UInt32(byte)) &* 16_777_619
            end += 1
        }
        let length = end - start
        guard length > 15, end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return try parseString() }
        let slot = Int(hash & 255)
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if let cached = longKeys[slot],
            cached.utf8.withContiguousStorageIfAvailable({ $0.elementsEqual(raw) }) == true
        {
            position = end + 1
            return cached
        }
        let key = String(decoding: raw, as: UTF8.self)
        longKeys[slot] = key
        position = end + 1
        return key
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw invalid("in string literal") }
            position += 1
        }
        guard position < bytes.count else { throw unexpectedEnd() }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw unexpectedEnd() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &buffer)
                default:
                    position -= 1
                    throw invalid("in string escape code")
                }
            default:
                if byte < 0x20 { throw invalid("in string literal") }
                buffer.append(byte)
                position += 1
            }
        }
        throw unexpectedEnd()
    }

    private mutating func appendUnicodeEscape(to buffer: inout [UInt8]) throws(JSONParseError) {
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by \u and a low surrogate; otherwise U+FFFD (as Go).
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let low = try readHex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                    scalar = 0xFFFD
                }
            } else {
                scalar = 0xFFFD
            }
        } else if (0xDC00..<0xE000).contains(scalar) {
            scalar = 0xFFFD
        }
        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        buffer.append(contentsOf: UTF8.encode(unicode)!)
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw unexpectedEnd() }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw invalid("in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: Numbers and literals

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
            guard position < bytes.count else { throw unexpectedEnd() }
            guard isDigit(bytes[position]) else { throw invalid("in numeric literal") }
        }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let digit = UInt64(bytes[position] - UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                magnitude = sum
                position += 1
            }
        }
        var isFloat = false
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isFloat = true
            position += 1
            guard position < bytes.count else { throw unexpectedEnd() }
            guard isDigit(bytes[position]) else { throw invalid("after decimal point in numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isFloat = true
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count else { throw unexpectedEnd() }
            guard isDigit(bytes[position]) else { throw invalid("in exponent of numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if !isFloat && !overflow {
            if negative {
                if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
                if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else if magnitude <= UInt64(Int64.max) {
                return .int(Int64(magnitude))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else {
            throw JSONParseError(message: "invalid number \(text)", offset: start)
        }
        return .double(value)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (offset, byte) in expected.enumerated() {
            guard position < bytes.count else { throw unexpectedEnd() }
            if bytes[position] != byte {
                if offset == 0 { throw invalid("looking for beginning of value") }
                throw invalid("in literal \(literal) (expecting '\(Character(Unicode.Scalar(byte)))')")
            }
            position += 1
        }
    }

    // MARK: Helpers

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func unexpectedEnd() -> JSONParseError {
        JSONParseError(message: "unexpected end of JSON input", offset: position)
    }

    /// "invalid character 'x' <context>", quoting the offending byte like Go does.
    private func invalid(_ context: String) -> JSONParseError {
        JSONParseError(message: "invalid character \(Self.quoteCharacter(at: position, in: bytes)) \(context)", offset: position)
    }

    private static func quoteCharacter(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard position < bytes.count else { return "''" }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            // Go prints a decoded rune; for control and non-ASCII bytes we print the escape form.
            var decoder = UTF8()
            var iterator = UnsafeBufferPointer(rebasing: bytes[position...]).makeIterator()
            if case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.value >= 0x80 {
                return "'\(Character(scalar))'"
            }
            let hex = String(byte, radix: 16, uppercase: false)
            return "'\\x" + (hex.count == 1 ? "0" + hex : hex) + "'"
        }
    }
}
