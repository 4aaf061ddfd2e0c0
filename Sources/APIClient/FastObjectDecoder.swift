import KubeModel

/// The hot-path decoder: pods and workload objects, their list pages and watch lines, are read in
/// one pass over the UTF-8 bytes straight into the projected model (`ProjectedReader`, for every
/// `ProjectedValue`), skipping managedFields and everything else the model does not keep, and
/// interning strings that repeat across objects. Every other type (Status, Events, Leases, …)
/// goes to `FoundationObjectDecoder`. Tests hold its output equal to Foundation's on the golden
/// objects and watch streams.
public struct FastObjectDecoder: ObjectDecoder {
    let fallback = FoundationObjectDecoder()
    let interner: StringInterner

    public init(interner: StringInterner = .shared) {
        self.interner = interner
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if let document = T.self as? any ProjectedDocument.Type {
            guard let value = try read(bytes, { try document.readDocument(&$0) }) else { return try fallback.decode(type, from: bytes) }
            return value as! T
        }
        if let value = T.self as? any ProjectedValue.Type { return try read(bytes) { try value.read(&$0) } as! T }
        return try fallback.decode(type, from: bytes)
    }

    private func read<R>(_ bytes: [UInt8], _ body: (inout ProjectedReader) throws -> R) throws -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            try interner.withTable { table in
                var reader = ProjectedReader(JSONByteReader(buffer), strings: table)
                let value = try body(&reader)
                guard reader.r.peek() == 0, reader.r.index == buffer.count else { throw reader.r.fail("unexpected bytes after the value") }
                return value
            }
        }
    }
}

extension ListBody {
    init(metadata: Meta, items: [Item]) {
        self.metadata = metadata
        self.items = items
    }
}

extension WatchLine {
    init(event: WatchEvent<Object>) { self.event = event }
}
