/// Finds the top-level `kind` and the byte range of each element of `items` in an audit
/// `EventList` that `JSONLineScanner` has already validated, without decoding anything: the
/// webhook decodes only the few events that mention a token annotation.
struct EventListScanner {
    struct Result {
        var kind: String?
        var items: [Range<Int>]
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// nil when the text is not an object (the caller validated it as JSON).
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Result? {
        var scanner = EventListScanner(bytes)
        return scanner.object()
    }

    private mutating func object() -> Result? {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var result = Result(kind: nil, items: [])
        while true {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return result }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            let key = string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if equals(key, "items"), bytes[index] == UInt8(ascii: "[") {
                index += 1
                while true {
                    skipWhitespace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    let start = index
                    skipValue()
                    result.items.append(start..<index)
                }
            } else if equals(key, "kind"), bytes[index] == UInt8(ascii: "\"") {
                let value = string()
                result.kind = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self)
            } else {
                skipValue()
            }
        }
    }

    private func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let pointer = text.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            let c = bytes[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    /// The contents of the string at `index` (without quotes, escapes left as they are).
    private mutating func string() -> Range<Int> {
        index += 1  // the opening quote
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        let range = start..<min(index, bytes.count)
        index += 1
        return range
    }

    /// Past one value: strings and nested containers by depth, scalars up to the next delimiter.
    private mutating func skipValue() {
        guard index < bytes.count else { return }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            _ = string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") { _ = string(); continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { index += 1; return }
                }
                index += 1
            }
        default:
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { return }
                index += 1
            }
        }
    }
}
