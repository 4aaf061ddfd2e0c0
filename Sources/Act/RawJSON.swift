/// Any JSON value, for the few places the executor must carry a whole object it does not model
/// (a bare pod recreated from its own manifest): nothing is lost by a projection.
indirect enum RawJSON: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([RawJSON])
    case object([String: RawJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {  // probing the JSON type; a mismatch is expected
            self = .bool(value)
        } else if let value = try? c.decode(Int64.self) {  // probing, as above
            self = .int(value)
        } else if let value = try? c.decode(Double.self) {  // probing, as above
            self = .double(value)
        } else if let value = try? c.decode(String.self) {  // probing, as above
            self = .string(value)
        } else if let value = try? c.decode([RawJSON].self) {  // probing, as above
            self = .array(value)
        } else {
            self = .object(try c.decode([String: RawJSON].self))  // the last option: its error is the real one
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }

    subscript(key: String) -> RawJSON? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var intValue: Int64? {
        if case .int(let v) = self { return v }
        return nil
    }
}
