/// JSON patch (RFC 6902), content type `application/json-patch+json`: a list of operations
/// add / remove / replace / move / copy / test, applied in order, all or nothing.
/// A malformed patch document is a bad request (400); an operation that does not apply
/// (missing path, failed test) is 422, as the API server answers.
public enum JSONPatch {
    public static func apply(patchBytes: [UInt8], to document: JSONValue) throws(PatchError) -> JSONValue {
        let patch: JSONValue
        do {
            patch = try JSONParser.parse(patchBytes)
        } catch {
            throw PatchError(error.message, isBadRequest: true)
        }
        return try apply(patch, to: document)
    }

    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch", isBadRequest: true)
        }
        var result = document
        for operation in operations {
            try applyOperation(operation, to: &result)
        }
        return result
    }

    private static func applyOperation(_ operation: JSONValue, to document: inout JSONValue) throws(PatchError) {
        guard case .object(let fields) = operation else {
            throw PatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation", isBadRequest: true)
        }
        guard let op = fields["op"]?.stringValue else {
            throw PatchError("Unexpected kind: unknown", isBadRequest: true)
        }
        guard let pathText = fields["path"]?.stringValue else {
            throw PatchError("\(op) operation missing path", isBadRequest: true)
        }
        let path = try JSONPointer(pathText)
        switch op {
        case "add":
            guard let value = fields["value"] else { throw PatchError("add operation missing value", isBadRequest: true) }
            try add(value, at: path, in: &document, op: op)
        case "remove":
            try remove(at: path, in: &document, op: op)
        case "replace":
            guard let value = fields["value"] else { throw PatchError("replace operation missing value", isBadRequest: true) }
            guard path.resolve(in: document) != nil else {
                throw PatchError("replace operation does not apply: doc is missing key: \(pathText): missing value")
            }
            try remove(at: path, in: &document, op: op)
            try add(value, at: path, in: &document, op: op)
        case "move", "copy":
            guard let fromText = fields["from"]?.stringValue else {
                throw PatchError("\(op) operation missing from", isBadRequest: true)
            }
            let from = try JSONPointer(fromText)
            guard let value = from.resolve(in: document) else {
                throw PatchError("\(op) operation does not apply: doc is missing from path: \(fromText): missing value")
            }
            if op == "move" {
                if from == path { return }
                if from.isProperPrefix(of: path) {
                    throw PatchError("move operation does not apply: from \(fromText) is a prefix of path \(pathText)")
                }
                try remove(at: from, in: &document, op: op)
            }
            try add(value, at: path, in: &document, op: op)
        case "test":
            let expected = fields["value"] ?? .null
            guard let actual = path.resolve(in: document), actual == expected else {
                throw PatchError("testing value \(pathText) failed: test failed")
            }
        default:
            throw PatchError("Unexpected kind: \(op)", isBadRequest: true)
        }
    }

    private static func add(_ value: JSONValue, at path: JSONPointer, in document: inout JSONValue, op: String) throws(PatchError) {
        guard let last = path.tokens.last else {
            document = value
            return
        }
        try modifyParent(of: path, in: &document, op: op) { parent throws(PatchError) in
            switch parent {
            case .object:
                parent.modifyObject { $0[last] = value }
            case .array(let array):
                let index: Int
                if last == "-" {
                    index = array.count
                } else if let parsed = JSONPointer.arrayIndex(last), parsed <= array.count {
                    index = parsed
                } else {
                    throw PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": invalid index")
                }
                parent.modifyArray { $0.insert(value, at: index) }
            default:
                throw PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value")
            }
        }
    }

    private static func remove(at path: JSONPointer, in document: inout JSONValue, op: String) throws(PatchError) {
        guard let last = path.tokens.last else {
            document = .null
            return
        }
        try modifyParent(of: path, in: &document, op: op) { parent throws(PatchError) in
            switch parent {
            case .object(let object) where object[last] != nil:
                parent.modifyObject { _ = $0.removeValue(forKey: last) }
            case .array(let array):
                guard let index = JSONPointer.arrayIndex(last), array.indices.contains(index) else {
                    throw PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": invalid index")
                }
                parent.modifyArray { _ = $0.remove(at: index) }
            default:
                throw PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value")
            }
        }
    }

    /// Walks to the container holding the last token and mutates it in place.
    private static func modifyParent(
        of path: JSONPointer, in document: inout JSONValue, op: String,
        _ body: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) {
        try walk(path.tokens.dropLast(), in: &document, path: path, op: op, body)
    }

    private static func walk(
        _ tokens: ArraySlice<String>, in node: inout JSONValue, path: JSONPointer, op: String,
        _ body: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) {
        guard let token = tokens.first else {
            try body(&node)
            return
        }
        let rest = tokens.dropFirst()
        let missing = PatchError("\(op) operation does not apply: doc is missing path: \"\(path)\": missing value")
        switch node {
        case .object(let object):
            guard object[token] != nil else { throw missing }
            var failure: PatchError?
            node.modifyObject { object in
                object.modify(token) { child in
                    do throws(PatchError) {
                        try walk(rest, in: &child, path: path, op: op, body)
                    } catch {
                        failure = error
                    }
                }
            }
            if let failure { throw failure }
        case .array(let array):
            guard let index = JSONPointer.arrayIndex(token), array.indices.contains(index) else { throw missing }
            var failure: PatchError?
            node.modifyArray { array in
                do throws(PatchError) {
                    try walk(rest, in: &array[index], path: path, op: op, body)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        default:
            throw missing
        }
    }
}
