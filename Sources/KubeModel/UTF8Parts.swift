/// A string's UTF-8 bytes treated as the concatenation of parts, hashed and compared without
/// building it: how cache entries that keep a key in pieces (a pod's namespace and name, a name
/// stored after its owner's) are looked up by the whole key.
public enum UTF8Parts {
    /// Feeds the parts' bytes to `hasher`; `Hasher.combine(bytes:)` is a byte stream, so this
    /// equals feeding the concatenation.
    public static func hash(_ parts: String..., into hasher: inout Hasher) {
        for part in parts { withBytes(part) { hasher.combine(bytes: $0) } }
    }

    /// Whether `whole` is exactly the parts concatenated.
    public static func equals(_ whole: String, _ parts: String...) -> Bool {
        withBytes(whole) { whole in
            var offset = 0
            for part in parts {
                let matches = withBytes(part) { bytes in
                    guard offset + bytes.count <= whole.count else { return false }
                    defer { offset += bytes.count }
                    return bytes.elementsEqual(UnsafeRawBufferPointer(rebasing: whole[offset..<(offset + bytes.count)]))
                }
                guard matches else { return false }
            }
            return offset == whole.count
        }
    }

    /// The string's contiguous UTF-8 (native strings already are; small ones are spilled to the stack).
    public static func withBytes<R>(_ string: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var string = string
        return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
