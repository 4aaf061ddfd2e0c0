#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast validating scan of one JSON text that also picks out the top-level `apiVersion` string.
///
/// Most audit lines carry no token evidence; they only need to be counted as valid events (or as
/// malformed / of an unknown version). Decoding each with `JSONDecoder` would cap the reader at a
/// few tens of MB/s, so those lines get this allocation-free scan instead, and only lines that
/// mention a token annotation are fully decoded.
struct JSONLineScanner {
    struct Result {
        var isValid: Bool
        /// The top-level `"apiVersion"` string value (raw bytes range), if present.
        var apiVersion: Range<Int>?
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var apiVersion: Range<Int>?
    private static let apiVersionKey: [UInt8] = Array("apiVersion".utf8)
    private static let maximumDepth = 512

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func scan(_ bytes: UnsafeRawBufferPointer) -> Result {
        var scanner = JSONLineScanner(bytes)
        scanner.skipWhitespace()
        let valid = scanner.value(depth: 0) && { scanner.skipWhitespace(); return scanner.index == bytes.count }()
        return Result(isValid: valid, apiVersion: valid ? scanner.apiVersion : nil)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            let c = bytes[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    private mutating func value(depth: Int) -> Bool {
        guard index < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func object(depth: Int) -> Bool {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return true }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            let valueStart = index
            let isStringValue = index < bytes.count && bytes[index] == UInt8(ascii: "\"")
            guard value(depth: depth) else { return false }
            if depth == 1, isStringValue, apiVersion == nil, matches(key, Self.apiVersionKey) {
                apiVersion = (valueStart + 1)..<(index - 1)
            }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return true }
            return false
        }
    }

    private mutating func array(depth: Int) -> Bool {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return true }
        while true {
            skipWhitespace()
            guard value(depth: depth) else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return true }
            return false
        }
    }

    /// Scans a string starting at the opening quote; returns the raw contents range.
    /// `memchr` jumps to the closing quote; only spans with a backslash are walked byte by byte.
    /// (Raw control characters inside strings are not rejected: JSON encoders never write them,
    /// and structure errors, which is what truncated or garbled lines have, are still caught.)
    private mutating func string() -> Range<Int>? {
        let base = bytes.baseAddress!
        let start = index + 1
        index = start
        while index < bytes.count {
            guard let quote = memchr(base + index, 0x22, bytes.count - index) else { return nil }
            let quoteIndex = base.distance(to: UnsafeRawPointer(quote))
            guard let slash = memchr(base + index, 0x5C, quoteIndex - index) else {
                index = quoteIndex + 1
                return start..<quoteIndex
            }
            // An escape before the quote: validate it and continue after it.
            let slashIndex = base.distance(to: UnsafeRawPointer(slash))
            guard slashIndex + 1 < bytes.count else { return nil }
            switch bytes[slashIndex + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                 UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                index = slashIndex + 2
            case UInt8(ascii: "u"):
                guard slashIndex + 5 < bytes.count else { return nil }
                for offset in 2...5 where !Self.isHexDigit(bytes[slashIndex + offset]) { return nil }
                index = slashIndex + 6
            default:
                return nil
            }
        }
        return nil
    }

    private mutating func number() -> Bool {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < bytes.count {
            let c = bytes[index]
            if (c >= 0x30 && c <= 0x39) {
                digits += 1
            } else if !(c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                        || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) {
                break
            }
            index += 1
        }
        return digits > 0 && index > start
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    private func matches(_ range: Range<Int>, _ expected: [UInt8]) -> Bool {
        guard range.count == expected.count else { return false }
        for (offset, byte) in expected.enumerated() where bytes[range.lowerBound + offset] != byte { return false }
        return true
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }
}
