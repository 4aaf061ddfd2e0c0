/// Strategic merge patch, content type `application/strategic-merge-patch+json` (what kubectl
/// sends for `rollout restart`, `scale`, `edit`…). Like a JSON merge patch, except:
/// - lists named in the schema merge element by element on their merge key (containers by name,
///   conditions by type…); an element `{"name": "x", "$patch": "delete"}` removes one, and a list
///   containing `{"$patch": "replace"}` replaces the whole list;
/// - `{"$patch": "replace"}` in an object replaces the object, `{"$patch": "delete"}` removes it;
/// - `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured;
/// - scalar lists such as `finalizers` merge as sets.
public enum StrategicMergePatch {
    public static func apply(
        patchBytes: [UInt8], to target: JSONValue, schema: StrategicMergeSchema = .kubernetes
    ) throws(PatchError) -> JSONValue {
        let patch: JSONValue
        do {
            patch = try JSONParser.parse(patchBytes)
        } catch {
            throw PatchError("error decoding patch: \(error.message)", isBadRequest: true)
        }
        return try apply(patch, to: target, schema: schema)
    }

    public static func apply(
        _ patch: JSONValue, to target: JSONValue, schema: StrategicMergeSchema = .kubernetes
    ) throws(PatchError) -> JSONValue {
        guard case .object(let patchObject) = patch else {
            throw PatchError("json: cannot unmarshal \(kindName(patch)) into Go value of type map[string]interface {}", isBadRequest: true)
        }
        let merged = try mergeObject(target.objectValue, patchObject, schema: schema)
        return .object(merged ?? JSONObject())
    }

    // MARK: Objects

    /// Returns nil when the patch deletes the object.
    static func mergeObject(
        _ original: JSONObject?, _ patch: JSONObject, schema: StrategicMergeSchema
    ) throws(PatchError) -> JSONObject? {
        if let directive = patch["$patch"] {
            switch directive.stringValue {
            case "delete":
                return nil
            case "replace":
                var replacement = patch
                replacement.removeValue(forKey: "$patch")
                return try mergeObject(nil, replacement, schema: schema)
            case "merge":
                break
            default:
                throw PatchError("Unknown patch type: \(directive) in map: \(JSONValue.object(patch))", isBadRequest: true)
            }
        }
        var result = original ?? JSONObject()
        var retainKeys: [String]?
        var elementOrders: [(field: String, order: [JSONValue])] = []
        for index in 0..<patch.count {
            let key = patch.keys[index]
            let value = patch.values[index]
            if key.hasPrefix("$") {
                if key == "$patch" { continue }
                if key == "$retainKeys" {
                    guard case .array(let names) = value else {
                        throw PatchError("$retainKeys must be a list of strings", isBadRequest: true)
                    }
                    retainKeys = names.compactMap(\.stringValue)
                } else if key.hasPrefix("$deleteFromPrimitiveList/") {
                    let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                    let doomed = value.arrayValue ?? []
                    if case .array(var list)? = result[field] {
                        list.removeAll { doomed.contains($0) }
                        result[field] = .array(list)
                    }
                } else if key.hasPrefix("$setElementOrder/") {
                    elementOrders.append((String(key.dropFirst("$setElementOrder/".count)), value.arrayValue ?? []))
                }
                // Other `$` keys are unknown directives; the API server ignores them too.
                continue
            }
            switch value {
            case .null:
                result.removeValue(forKey: key)
            case .object(let child):
                let merged = try mergeObject(result[key]?.objectValue, child, schema: schema)
                result[key] = merged.map(JSONValue.object)
            case .array(let list):
                result[key] = .array(try mergeList(result[key]?.arrayValue, list, field: key, schema: schema))
            default:
                result[key] = value
            }
        }
        for (field, order) in elementOrders {
            if case .array(let list)? = result[field] {
                result[field] = .array(reorder(list, by: order, mergeKey: schema.mergeKeys[field]))
            }
        }
        if let retainKeys {
            for key in result.keys where !retainKeys.contains(key) {
                result.removeValue(forKey: key)
            }
        }
        return result
    }

    // MARK: Lists

    static func mergeList(
        _ original: [JSONValue]?, _ patch: [JSONValue], field: String, schema: StrategicMergeSchema
    ) throws(PatchError) -> [JSONValue] {
        // `{"$patch": "replace"}` anywhere in the list: the rest of the list is the new value.
        if patch.contains(where: { $0.objectValue?["$patch"]?.stringValue == "replace" }) {
            var replacement: [JSONValue] = []
            for element in patch where element.objectValue?["$patch"]?.stringValue != "replace" {
                replacement.append(try cleaned(element, schema: schema))
            }
            return replacement
        }
        if let mergeKey = schema.mergeKeys[field],
            patch.allSatisfy({ $0.objectValue?[mergeKey] != nil || isDeleteAll($0) })
        {
            if patch.isEmpty { return original ?? [] }
            return try mergeKeyedList(original ?? [], patch, mergeKey: mergeKey, schema: schema)
        }
        if schema.mergedScalarLists.contains(field) {
            var result = original ?? []
            for element in patch where !result.contains(element) {
                result.append(element)
            }
            return result
        }
        // Any other list is replaced as a whole.
        var replacement: [JSONValue] = []
        replacement.reserveCapacity(patch.count)
        for element in patch {
            replacement.append(try cleaned(element, schema: schema))
        }
        return replacement
    }

    private static func isDeleteAll(_ element: JSONValue) -> Bool {
        guard case .object(let object) = element else { return false }
        return object.count == 1 && object["$patch"]?.stringValue == "delete"
    }

    private static func mergeKeyedList(
        _ original: [JSONValue], _ patch: [JSONValue], mergeKey: String, schema: StrategicMergeSchema
    ) throws(PatchError) -> [JSONValue] {
        var result = original
        for element in patch {
            guard case .object(let elementPatch) = element else { continue }
            if isDeleteAll(element) {
                result.removeAll()
                continue
            }
            guard let keyValue = elementPatch[mergeKey] else { continue }
            let position = result.firstIndex { $0.objectValue?[mergeKey] == keyValue }
            if elementPatch["$patch"]?.stringValue == "delete" {
                result.removeAll { $0.objectValue?[mergeKey] == keyValue }
                continue
            }
            if let position {
                if let merged = try mergeObject(result[position].objectValue, elementPatch, schema: schema) {
                    result[position] = .object(merged)
                } else {
                    result.remove(at: position)
                }
            } else if let added = try mergeObject(nil, elementPatch, schema: schema) {
                result.append(.object(added))
            }
        }
        return result
    }

    /// A patch value stored as is: directives and nulls inside objects are processed away.
    private static func cleaned(_ value: JSONValue, schema: StrategicMergeSchema) throws(PatchError) -> JSONValue {
        guard case .object(let object) = value else { return value }
        return .object(try mergeObject(nil, object, schema: schema) ?? JSONObject())
    }

    /// `$setElementOrder`: the listed elements in the listed order, then any others as they were.
    private static func reorder(_ list: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ element: JSONValue) -> JSONValue {
            guard let mergeKey else { return element }
            return element.objectValue?[mergeKey] ?? element
        }
        var remaining = list
        var ordered: [JSONValue] = []
        for entry in order {
            let wanted = identity(entry)
            if let position = remaining.firstIndex(where: { identity($0) == wanted }) {
                ordered.append(remaining.remove(at: position))
            }
        }
        return ordered + remaining
    }

    private static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .array: "array"
        case .string: "string"
        case .int, .double: "number"
        case .bool: "bool"
        default: "value"
        }
    }
}
