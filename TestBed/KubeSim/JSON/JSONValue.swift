/// A JSON document as the simulated API server stores and serves it. Objects keep member order;
/// numbers keep the distinction between integers and floats (`1` stays `1`, `1.5` stays `1.5`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    // MARK: Typed access

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    public var objectValue: JSONObject? { if case .object(let value) = self { value } else { nil } }

    /// Integers, and floats that hold an integral value.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else { return nil }
            return exact
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    // MARK: Subscripts

    /// Member of an object (nil when this is not an object or the key is missing). Assigning to a
    /// non-object turns it into an object; assigning nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            var object: JSONObject
            if case .object(let existing) = self { object = existing } else { object = JSONObject() }
            self = .null  // drop our reference so `object` is uniquely owned and mutates in place
            object[key] = newValue
            self = .object(object)
        }
    }

    /// Element of an array (nil when out of range or not an array). Assigning replaces in range.
    public subscript(index: Int) -> JSONValue? {
        get {
            guard case .array(let array) = self, array.indices.contains(index) else { return nil }
            return array[index]
        }
        set {
            guard case .array(var array) = self, array.indices.contains(index), let newValue else { return }
            self = .null
            array[index] = newValue
            self = .array(array)
        }
    }

    // MARK: Paths

    /// The value at a path of object keys, e.g. `["metadata", "labels", "app"]`.
    public func value(at path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// Sets the value at a path of object keys, creating (or replacing non-object) intermediates.
    public mutating func set(_ newValue: JSONValue, at path: [String]) {
        guard let first = path.first else {
            self = newValue
            return
        }
        modifyObject { object in
            object.modify(first) { child in child.set(newValue, at: Array(path.dropFirst())) }
        }
    }

    /// Removes the member at a path of object keys; returns what was removed.
    @discardableResult
    public mutating func remove(at path: [String]) -> JSONValue? {
        guard let first = path.first, case .object = self else { return nil }
        if path.count == 1 {
            var removed: JSONValue?
            modifyObject { removed = $0.removeValue(forKey: first) }
            return removed
        }
        guard self[first] != nil else { return nil }
        var removed: JSONValue?
        modifyObject { object in
            object.modify(first) { child in removed = child.remove(at: Array(path.dropFirst())) }
        }
        return removed
    }

    /// Mutates this value as an object in place (a non-object becomes an empty object first).
    public mutating func modifyObject<R>(_ body: (inout JSONObject) throws -> R) rethrows -> R {
        var object: JSONObject
        if case .object(let existing) = self { object = existing } else { object = JSONObject() }
        self = .null
        defer { self = .object(object) }
        return try body(&object)
    }

    /// Mutates this value as an array in place (a non-array becomes an empty array first).
    public mutating func modifyArray<R>(_ body: (inout [JSONValue]) throws -> R) rethrows -> R {
        var array: [JSONValue]
        if case .array(let existing) = self { array = existing } else { array = [] }
        self = .null
        defer { self = .array(array) }
        return try body(&array)
    }

    // MARK: Equality

    /// Structural equality: object member order is ignored and numbers compare by value
    /// (`1` equals `1.0`), as RFC 6902's `test` operation requires.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Keeps the literal's key order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject(minimumCapacity: elements.count)
        for (key, value) in elements {
            assert(object.index(forKey: key) == nil, "duplicate key \(key) in a JSON object literal")
            object.appendUnchecked(key: key, value: value)
        }
        self = .object(object)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { String(decoding: JSONSerializer.serialize(self), as: UTF8.self) }
}
