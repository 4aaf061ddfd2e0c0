import CJSONScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the fast decoder rejected its input: what was expected and the byte offset.
public struct FastDecodingError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var offset: Int

    public var description: String { "\(message) at byte \(offset)" }
}

/// A forward-only cursor over UTF-8 JSON bytes for the fast decoder: reads the few values a
/// projected type keeps and skips everything else without materialising it.
///
/// Values that are read are checked as strictly as `JSONDecoder` checks them; a skipped value is
/// checked only for terminated strings and balanced brackets (it is never looked at again).
struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func fail(_ message: String) -> FastDecodingError { FastDecodingError(message: message, offset: index) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next significant byte (whitespace skipped), or 0 at the end.
    mutating func peek() -> UInt8 {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : 0
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// `null` consumed: true. Anything else is left in place.
    mutating func takeNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ text: StaticString) throws {
        let n = text.utf8CodeUnitCount
        guard index + n <= bytes.count, memcmp(bytes.baseAddress! + index, text.utf8Start, n) == 0 else {
            throw fail("invalid literal")
        }
        index += n
    }

    // MARK: Objects and arrays

    /// Steps through an object: `var first = true; while let key = try r.nextKey(&first) { …value… }`.
    /// The first call consumes the opening brace; the caller consumes (or skips) each value.
    mutating func nextKey(_ first: inout Bool) throws -> Key? {
        if first {
            try expect(UInt8(ascii: "{"))
            first = false
            if peek() == UInt8(ascii: "}") {
                index += 1
                return nil
            }
        } else {
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return nil
            default: throw fail("expected ',' or '}'")
            }
        }
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected an object key") }
        let key = try readKey()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Steps through an array: `var first = true; while try r.nextElement(&first) { …element… }`.
    mutating func nextElement(_ first: inout Bool) throws -> Bool {
        if first {
            try expect(UInt8(ascii: "["))
            first = false
            if peek() == UInt8(ascii: "]") {
                index += 1
                return false
            }
            return true
        }
        switch peek() {
        case UInt8(ascii: ","):
            index += 1
            return true
        case UInt8(ascii: "]"):
            index += 1
            return false
        default: throw fail("expected ',' or ']'")
        }
    }

    /// An object key: its raw bytes (between the quotes) and whether it holds escapes.
    struct Key {
        var start: Int
        var count: Int
        var escaped: Bool
    }

    private mutating func readKey() throws -> Key {
        index += 1  // opening quote
        let start = index
        let (end, escaped) = try scanString(from: start)
        index = end + 1
        return Key(start: start, count: end - start, escaped: escaped)
    }

    /// The key equals `name` (keys with escapes never match: no field the decoder reads has one).
    func key(_ key: Key, is name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && !key.escaped
            && memcmp(bytes.baseAddress! + key.start, name.utf8Start, key.count) == 0
    }

    /// The key's text, unescaped (map keys: labels, annotations).
    func keyString(_ key: Key) throws -> String {
        if !key.escaped { return String(decoding: UnsafeBufferPointer(rebasing: bytes[key.start..<(key.start + key.count)]), as: UTF8.self) }
        return try unescape(key.start, key.start + key.count)
    }

    // MARK: Scalars

    mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        let (end, escaped) = try scanString(from: start)
        index = end + 1
        if !escaped { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
        return try unescape(start, end)
    }

    /// A string's raw bytes without escapes, for callers that parse or intern them; nil when the
    /// string holds escapes (the caller then falls back to `readString`).
    mutating func readPlainStringBytes() throws -> UnsafeBufferPointer<UInt8>? {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let save = index
        index += 1
        let start = index
        let (end, escaped) = try scanString(from: start)
        if escaped {
            index = save
            return nil
        }
        index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    mutating func readBool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw fail("expected a boolean")
        }
    }

    /// An integer that fits in Int64 (JSONDecoder also accepts `1e3`-style integral numbers;
    /// the API server never writes them for integer fields).
    mutating func readInt64() throws -> Int64 {
        _ = peek()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] &- 48 < 10 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.subtractingReportingOverflow(Int64(bytes[index] - 48))  // accumulate negative: Int64.min fits
            guard !o1, !o2 else { throw fail("integer out of range") }
            value = a
            index += 1
        }
        guard index > start else { throw fail("expected an integer") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
            throw fail("expected an integer, found a fraction or exponent")
        }
        if negative { return value }
        guard value != Int64.min else { throw fail("integer out of range") }
        return -value
    }

    // MARK: Skipping

    /// Skips one value of any kind.
    mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "\""):
            index += 1
            let (end, _) = try scanString(from: index)
            index = end + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                     UInt8(ascii: "+"), UInt8(ascii: "-"):
                    index += 1
                default: return
                }
            }
        default:
            throw fail("expected a value")
        }
    }

    /// Skips a whole object or array with `tw_json_skip_container` (64 bytes per step; brackets
    /// outside strings counted, not paired).
    private mutating func skipContainer() throws {
        var offending = 0
        let end = tw_json_skip_container(bytes.baseAddress!, index, bytes.count, &offending)
        guard end < 0 else {
            index = end
            return
        }
        switch end {
        case TW_JSON_UNTERMINATED_STRING: throw FastDecodingError(message: "unterminated string", offset: offending)
        case TW_JSON_CONTROL_CHARACTER: throw FastDecodingError(message: "control character in string", offset: offending)
        default:
            index = offending
            throw fail("unterminated object or array")
        }
    }

    /// From just after an opening quote: the index of the closing quote and whether escapes occur.
    /// Rejects raw control characters, as JSON (and JSONDecoder) does.
    ///
    /// Runs of plain content are skipped 16 bytes at a time by `tw_json_string_stop` (SSE2; a word
    /// at a time elsewhere).
    private func scanString(from start: Int) throws -> (end: Int, escaped: Bool) {
        let count = bytes.count
        let base = bytes.baseAddress!
        var i = start
        var escaped = false
        while i < count {
            i = tw_json_string_stop(base, i, count)
            guard i < count else { break }
            let c = base[i]
            if c == 0x22 { return (i, escaped) }
            if c == 0x5C {
                escaped = true
                i += 2  // the escaped byte is never the end
                continue
            }
            throw FastDecodingError(message: "control character in string", offset: i)
        }
        throw FastDecodingError(message: "unterminated string", offset: start)
    }

    /// Decodes the escapes of bytes[start..<end] (JSON's `\" \\ \/ \b \f \n \r \t \uXXXX`).
    private func unescape(_ start: Int, _ end: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= end else { throw FastDecodingError(message: "short \\u escape", offset: at) }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = bytes[k]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
                default: throw FastDecodingError(message: "bad \\u escape", offset: k)
                }
                v = v << 4 | d
            }
            return v
        }
        while i < end {
            let c = bytes[i]
            guard c == 0x5C else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { throw FastDecodingError(message: "dangling escape", offset: i) }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 6 <= end, bytes[i] == 0x5C, bytes[i + 1] == UInt8(ascii: "u") else {
                        throw FastDecodingError(message: "unpaired surrogate", offset: i)
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw FastDecodingError(message: "unpaired surrogate", offset: i) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw FastDecodingError(message: "unpaired surrogate", offset: i)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw FastDecodingError(message: "bad \\u escape", offset: i) }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw FastDecodingError(message: "bad escape", offset: i - 1)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
