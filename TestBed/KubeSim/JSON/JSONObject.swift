/// A JSON object that keeps its members in the order they were written (or inserted), like the
/// API server's output. Lookup is a linear scan: Kubernetes objects have few keys per level, and
/// for those a scan beats hashing.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var keys: [String]
    public private(set) var values: [JSONValue]

    public init() {
        keys = []
        values = []
    }

    public init(minimumCapacity: Int) {
        keys = []
        values = []
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// Literal keys are taken as unique (checked in debug builds).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements {
            assert(index(forKey: key) == nil, "duplicate key \(key) in a JSON object literal")
            keys.append(key)
            values.append(value)
        }
    }

    /// Members in order; a later duplicate key replaces the earlier value in place.
    public init(_ members: [(String, JSONValue)]) {
        self.init(minimumCapacity: members.count)
        for (key, value) in members { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func index(forKey key: String) -> Int? {
        // Comparing lengths first skips most full string comparisons (O(1) for native strings).
        let length = key.utf8.count
        return keys.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where buffer[index].utf8.count == length && buffer[index] == key {
                return index
            }
            return nil
        }
    }

    /// Reading gives nil for a missing key; assigning nil removes the key; assigning a new key
    /// appends it at the end.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = index(forKey: key) else { return nil }
            return values[index]
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Parallel arrays of unique keys and their values (the parser's fast path).
    init(uncheckedKeys keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    /// Appends without checking for an existing key (the parser's fast path; it deduplicates itself).
    mutating func appendUnchecked(key: String, value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    /// Changes the value of `key` in place through `body`, avoiding a copy of nested containers.
    /// Missing keys start as `default` and are appended.
    public mutating func modify<R>(
        _ key: String, default defaultValue: JSONValue = .null, _ body: (inout JSONValue) throws -> R
    ) rethrows -> R {
        let index: Int
        if let existing = self.index(forKey: key) {
            index = existing
        } else {
            keys.append(key)
            values.append(defaultValue)
            index = values.count - 1
        }
        return try body(&values[index])
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        keys.remove(at: index)
        return values.remove(at: index)
    }

    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var position = 0
        return AnyIterator {
            guard position < keys.count else { return nil }
            defer { position += 1 }
            return (keys[position], values[position])
        }
    }

    /// Same members with the same values; member order does not matter (as for JSON itself).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.keys.count == rhs.keys.count else { return false }
        for position in lhs.keys.indices {
            // Fast path: same key at the same position.
            if rhs.keys[position] == lhs.keys[position] {
                if lhs.values[position] != rhs.values[position] { return false }
                continue
            }
            guard let other = rhs[lhs.keys[position]], other == lhs.values[position] else { return false }
        }
        return true
    }
}
