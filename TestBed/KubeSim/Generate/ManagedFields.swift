/// Builds `metadata.managedFields` entries (FieldsV1 sets) shaped like the API server's: every
/// set field as `f:<name>`, list elements with a merge key as `k:{"<key>":<value>}` with a `.`
/// member, other lists and leaves as `{}`.
enum ManagedFields {
    static func entry(manager: String, time: String, fields: JSONValue, subresource: String? = nil,
                      apiVersion: String = "v1") -> JSONValue {
        var entry: JSONValue = [
            "manager": .string(manager), "operation": "Update", "apiVersion": .string(apiVersion),
            "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fields,
        ]
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    /// `k:{"name":"app"}` — the field name of a list element by its merge key.
    static func keyedFieldName(_ mergeKey: String, _ value: JSONValue) -> String {
        if let text = value.stringValue { return "k:{\"\(mergeKey)\":\"\(text)\"}" }
        if let number = value.intValue { return "k:{\"\(mergeKey)\":\(number)}" }
        let key: JSONValue = [mergeKey: value]
        return "k:" + key.description
    }

    /// The field set of a value, as `f:` members.
    static func fieldSet(of value: JSONValue, markSelf: Bool = false) -> JSONValue {
        guard case .object(let object) = value, !object.isEmpty else { return [:] }
        var result = JSONObject(minimumCapacity: object.count + 1)
        if markSelf { result.appendUnchecked(key: ".", value: [:]) }
        for index in 0..<object.count {
            // Object keys are unique, so their "f:" names are too: no duplicate check needed.
            result.appendUnchecked(key: "f:" + object.keys[index], value: fieldSet(ofMember: object.values[index], field: object.keys[index]))
        }
        return .object(result)
    }

    private static func fieldSet(ofMember value: JSONValue, field: String) -> JSONValue {
        switch value {
        case .object:
            // Maps of strings (labels, annotations, nodeSelector) own their members and themselves.
            let isStringMap = value.objectValue?.values.allSatisfy { $0.stringValue != nil } ?? false
            return fieldSet(of: value, markSelf: isStringMap)
        case .array(let elements):
            guard let mergeKey = StrategicMergeSchema.kubernetes.mergeKeys[field] else { return [:] }
            var result = JSONObject(minimumCapacity: elements.count + 1)
            result.appendUnchecked(key: ".", value: [:])
            for element in elements {
                guard let keyValue = element[mergeKey] else { continue }
                result[keyedFieldName(mergeKey, keyValue)] = fieldSet(of: element, markSelf: true)
            }
            return .object(result)
        default:
            return [:]
        }
    }
}
