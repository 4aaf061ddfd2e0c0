/// JSON merge patch (RFC 7386), content type `application/merge-patch+json`: objects merge
/// recursively, `null` deletes a member, everything else (arrays included) replaces.
public enum JSONMergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = target
        result.modifyObject { object in
            for index in 0..<patchObject.count {
                let key = patchObject.keys[index]
                let value = patchObject.values[index]
                if value.isNull {
                    object.removeValue(forKey: key)
                } else if case .object = value {
                    object.modify(key) { child in
                        child = apply(value, to: child)
                    }
                } else {
                    object[key] = value
                }
            }
        }
        return result
    }

    /// Parses `patchBytes` and applies them; a syntax error is a bad request.
    public static func apply(patchBytes: [UInt8], to target: JSONValue) throws(PatchError) -> JSONValue {
        let patch: JSONValue
        do {
            patch = try JSONParser.parse(patchBytes)
        } catch {
            throw PatchError("error decoding patch: \(error.message)", isBadRequest: true)
        }
        return apply(patch, to: target)
    }
}
