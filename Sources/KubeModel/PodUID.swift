/// An object's `metadata.uid` (a pod's, its owner's), packed into 16 bytes when it is the canonical lowercase UUID the API
/// server assigns (36 characters would otherwise cost a heap string per cached pod and owner).
public struct PodUID: Hashable, Sendable, CustomStringConvertible {
    private enum Storage: Hashable, Sendable {
        case uuid(UInt64, UInt64)
        case text(String)
    }

    private let storage: Storage

    public init(_ text: String) {
        storage = PodUID.pack(text).map { .uuid($0.0, $0.1) } ?? .text(text)
    }

    public var description: String {
        switch storage {
        case .text(let text): return text
        case .uuid(let high, let low): return PodUID.format(high, low)
        }
    }

    /// 8-4-4-4-12 lowercase hex digits; anything else is kept as text, so formatting gives back
    /// exactly what the server sent.
    private static func pack(_ text: String) -> (UInt64, UInt64)? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0, digits = 0
        for (index, byte) in utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return (high, low)
    }

    private static func format(_ high: UInt64, _ low: UInt64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            for digit in 0..<32 {
                if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                let word = digit < 16 ? high : low
                let shift = UInt64(60 - 4 * (digit % 16))
                buffer[out] = hex[Int((word >> shift) & 0xF)]
                out += 1
            }
            return out
        }
    }
}
