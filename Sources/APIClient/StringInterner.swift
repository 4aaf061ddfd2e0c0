import Foundation

/// Shares one heap copy of strings that repeat across cached objects (namespaces, label keys,
/// owner kinds, mount paths, condition types). Strings of up to 15 UTF-8 bytes are stored inline
/// by Swift and gain nothing, so only longer ones are kept. Lookups take the bytes directly, so
/// a hit allocates nothing. The table is bounded: once full it stops adding (values that are
/// unique per object, like uids, never belong here).
public final class StringInterner: @unchecked Sendable {  // `table` is only touched under `lock`
    public static let shared = StringInterner()

    private let lock = NSLock()
    private let table: Table

    /// 8,192 entries (~2 MB with the strings) hold what really repeats — namespaces, nodes,
    /// label keys, container and owner names — in a cluster of 150k pods; a larger table only
    /// fills up with values that occur once and keeps them for the life of the process.
    public init(capacity: Int = 8_192) {
        table = Table(capacity: capacity)
    }

    public var count: Int { withTable { $0.strings.count } }

    /// Runs `body` with the table held for its whole duration (one lock per decoded page or
    /// watch line, not one per string).
    func withTable<R>(_ body: (Table) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(table)
    }

    /// Used only while the interner's lock is held.
    final class Table {
        let capacity: Int
        var strings: [Key: String] = [:]

        init(capacity: Int) { self.capacity = capacity }

        func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            if bytes.count <= 15 || bytes.count > 256 { return String(decoding: bytes, as: UTF8.self) }
            if let known = strings[Key(borrowed: UnsafeRawBufferPointer(bytes))] { return known }
            let string = String(decoding: bytes, as: UTF8.self)
            if strings.count < capacity { strings[Key(owned: Array(bytes))] = string }
            return string
        }
    }

    /// Bytes used as a dictionary key: borrowed for a lookup, owned once stored.
    struct Key: Hashable {
        private let owned: [UInt8]?
        private let borrowed: UnsafeRawBufferPointer?

        init(owned: [UInt8]) {
            self.owned = owned
            self.borrowed = nil
        }

        init(borrowed: UnsafeRawBufferPointer) {
            self.owned = nil
            self.borrowed = borrowed
        }

        private func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            if let borrowed { return body(borrowed) }
            return owned!.withUnsafeBytes(body)
        }

        func hash(into hasher: inout Hasher) {
            withBytes { hasher.combine(bytes: $0) }
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.withBytes { a in rhs.withBytes { b in a.count == b.count && a.elementsEqual(b) } }
        }
    }
}
