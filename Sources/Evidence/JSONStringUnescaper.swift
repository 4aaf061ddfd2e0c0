/// Turns the raw contents of a JSON string (between its quotes) into its UTF-8 text.
enum JSONStringUnescaper {
    /// nil when an escape is invalid (a lone surrogate becomes U+FFFD, as JSON decoders do).
    static func unescape(_ raw: [UInt8]) -> [UInt8]? {
        guard raw.contains(0x5C) else { return raw }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            guard raw[index] == 0x5C else {
                // Copy the run up to the next escape in one go.
                var end = index + 1
                while end < raw.count, raw[end] != 0x5C { end += 1 }
                out.append(contentsOf: raw[index..<end])
                index = end
                continue
            }
            guard index + 1 < raw.count else { return nil }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(raw, index) else { return nil }
                index += 4
                var scalar = UInt32(unit)
                if (0xD800..<0xDC00).contains(unit) {
                    // A high surrogate: a low one must follow as `\uDC00`…`\uDFFF`.
                    if index + 1 < raw.count, raw[index] == 0x5C, raw[index + 1] == UInt8(ascii: "u"),
                       let low = hex4(raw, index + 2), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        index += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(unit) {
                    scalar = 0xFFFD
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                return nil
            }
        }
        return out
    }

    private static func hex4(_ raw: [UInt8], _ at: Int) -> UInt16? {
        guard at + 4 <= raw.count else { return nil }
        var value: UInt16 = 0
        for byte in raw[at..<at + 4] {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
