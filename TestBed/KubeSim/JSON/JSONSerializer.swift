/// Writes JSON text the way the API server (Go's encoding/json) does: compact by default, members
/// in stored order, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`…, integral floats
/// without a fraction. `pretty` gives the two-space indented layout of `json.MarshalIndent`.
public enum JSONSerializer {
    public static func serialize(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out, pretty: pretty)
        return out
    }

    /// Appends the serialization of `value` to an existing buffer (e.g. a list response being built).
    public static func append(_ value: JSONValue, to out: inout [UInt8], pretty: Bool = false) {
        // Small first: glibc consolidates its free lists on every large allocation.
        var writer = ByteWriter(capacity: 512)
        if pretty {
            writePretty(value, indent: 0, to: &writer)
        } else {
            writeCompact(value, to: &writer)
        }
        out.reserveCapacity(out.count + writer.count)
        writer.copy(to: &out)
    }

    // MARK: Layout

    private static func writeCompact(_ value: JSONValue, to out: inout ByteWriter) {
        switch value {
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            object.keys.withUnsafeBufferPointer { keys in
                object.values.withUnsafeBufferPointer { values in
                    for index in 0..<keys.count {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        writeString(keys[index], to: &out)
                        out.append(UInt8(ascii: ":"))
                        writeCompact(values[index], to: &out)
                    }
                }
            }
            out.append(UInt8(ascii: "}"))
        case .array(let array):
            out.append(UInt8(ascii: "["))
            array.withUnsafeBufferPointer { elements in
                for index in 0..<elements.count {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    writeCompact(elements[index], to: &out)
                }
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text): writeString(text, to: &out)
        case .null: out.append("null")
        case .bool(let flag): out.append(flag ? "true" : "false")
        case .int(let number): writeInteger(number, to: &out)
        case .double(let number): writeDouble(number, to: &out)
        }
    }

    private static func writePretty(_ value: JSONValue, indent: Int, to out: inout ByteWriter) {
        switch value {
        case .object(let object) where !object.isEmpty:
            out.append(UInt8(ascii: "{"))
            for index in 0..<object.count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, to: &out)
                writeString(object.keys[index], to: &out)
                out.append(UInt8(ascii: ":"), UInt8(ascii: " "))
                writePretty(object.values[index], indent: indent + 1, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        case .array(let array) where !array.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, to: &out)
                writePretty(element, indent: indent + 1, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        default:
            writeCompact(value, to: &out)
        }
    }

    private static func newline(_ indent: Int, to out: inout ByteWriter) {
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20, 0x20) }
    }

    // MARK: Scalars

    static func writeInteger(_ number: Int64, to out: inout ByteWriter) {
        if number >= 0 && number < 10 {
            out.append(UInt8(ascii: "0") + UInt8(number))
            return
        }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var end = scratch.count
            while magnitude > 0 {
                end -= 1
                scratch[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if number < 0 {
                end -= 1
                scratch[end] = UInt8(ascii: "-")
            }
            out.append(UnsafeBufferPointer(rebasing: scratch.bindMemory(to: UInt8.self)[end...]))
        }
    }

    private static func writeDouble(_ number: Double, to out: inout ByteWriter) {
        guard number.isFinite else {
            out.append("null")  // Go refuses NaN/Inf; null is the least surprising output
            return
        }
        if number.rounded() == number, abs(number) < 1e18 {
            writeInteger(Int64(number), to: &out)
            return
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        // Go writes exponents without a leading zero: 1e-07 → 1e-7.
        if let e = text.firstIndex(of: "e") {
            let mantissa = text[..<e]
            var exponent = text[text.index(after: e)...]
            var sign = ""
            if let first = exponent.first, first == "-" || first == "+" {
                sign = String(first)
                exponent = exponent.dropFirst()
            }
            while exponent.count > 1, exponent.first == "0" { exponent = exponent.dropFirst() }
            text = mantissa + "e" + sign + exponent
        }
        text.withUTF8 { out.append($0) }
    }

    // MARK: Strings

    private static let hexDigits: StaticString = "0123456789abcdef"

    static func writeString(_ text: String, to out: inout ByteWriter) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                // Eight bytes at a time while none of them needs escaping.
                while index + 8 <= bytes.count, !needsEscapeSomewhere(in: loadWord(bytes, at: index)) { index += 8 }
                guard index < bytes.count else { break }
                let byte = bytes[index]
                // Most bytes are letters above the backslash: one comparison decides.
                if byte > UInt8(ascii: "\\") && byte != 0xE2 {
                    index += 1
                    continue
                }
                let needsEscape: Bool
                switch byte {
                case 0x00..<0x20, UInt8(ascii: "\""), UInt8(ascii: "\\"),
                    UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    needsEscape = true
                case 0xE2:
                    // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                    needsEscape = index + 2 < bytes.count && bytes[index + 1] == 0x80
                        && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
                default:
                    needsEscape = false
                }
                if !needsEscape {
                    index += 1
                    continue
                }
                if runStart < index {
                    out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
                case 0xE2:
                    appendUnicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    index += 2
                default:
                    appendUnicodeEscape(UInt16(byte), to: &out)
                }
                index += 1
                runStart = index
            }
            if runStart < bytes.count {
                out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func loadWord(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
    }

    /// Whether any byte of `word` is a control character, `"`, `\\`, `<`, `>`, `&` or non-ASCII
    /// (bit tricks from "Bit Twiddling Hacks": has-zero-byte and has-less-than).
    @inline(__always)
    private static func needsEscapeSomewhere(in word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        @inline(__always) func has(_ byte: UInt8) -> Bool { hasZero(word ^ (ones &* UInt64(byte))) }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || word & highs != 0 || has(0x22) || has(0x5C) || has(0x3C) || has(0x3E) || has(0x26)
    }

    private static func appendUnicodeEscape(_ code: UInt16, to out: inout ByteWriter) {
        let hex = hexDigits.utf8Start
        out.append(UInt8(ascii: "\\"), UInt8(ascii: "u"))
        out.append(hex[Int(code >> 12 & 0xF)], hex[Int(code >> 8 & 0xF)])
        out.append(hex[Int(code >> 4 & 0xF)], hex[Int(code & 0xF)])
    }
}
