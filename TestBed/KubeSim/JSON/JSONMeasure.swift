/// Walks a value without serializing it: its approximate compact size and a stable content hash.
enum JSONMeasure {
    /// Compact serialized length, ignoring escapes (exact for values without characters to escape).
    static func size(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .int(let number):
            var digits = number < 0 ? 2 : 1
            var rest = number.magnitude
            while rest >= 10 {
                rest /= 10
                digits += 1
            }
            return digits
        case .double(let number): return number.description.utf8.count
        case .string(let text): return text.utf8.count + 2
        case .array(let elements):
            return 2 + max(0, elements.count - 1) + elements.reduce(0) { $0 + size($1) }
        case .object(let object):
            var total = 2 + max(0, object.count - 1)
            for index in 0..<object.count { total += object.keys[index].utf8.count + 3 + size(object.values[index]) }
            return total
        }
    }

    /// FNV-1a over the value's structure and contents, in member order.
    static func hash(_ value: JSONValue, into state: inout UInt32) {
        var hasher = FNVHasher(state: state)
        hasher.combine(value)
        state = hasher.state
    }
}

private struct FNVHasher {
    var state: UInt32

    @inline(__always)
    mutating func mixByte(_ byte: UInt8) {
        state = (state ^ UInt32(byte)) &* 16_777_619
    }

    mutating func mixText(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { mixByte(byte) }
        }
    }

    mutating func mixNumber(_ number: Int64) {
        var bits = UInt64(bitPattern: number)
        for _ in 0..<8 {
            mixByte(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func combine(_ value: JSONValue) {
        switch value {
        case .null: mixByte(0x6E)
        case .bool(let flag): mixByte(flag ? 0x74 : 0x66)
        case .int(let number):
            mixByte(0x23)
            mixNumber(number)
        case .double(let number):
            mixByte(0x25)
            mixNumber(Int64(bitPattern: number.bitPattern))
        case .string(let text):
            mixByte(0x22)
            mixText(text)
            mixByte(0x22)
        case .array(let elements):
            mixByte(0x5B)
            for element in elements {
                combine(element)
                mixByte(0x2C)
            }
            mixByte(0x5D)
        case .object(let object):
            mixByte(0x7B)
            for index in 0..<object.count {
                mixText(object.keys[index])
                mixByte(0x3A)
                combine(object.values[index])
                mixByte(0x2C)
            }
            mixByte(0x7D)
        }
    }
}
