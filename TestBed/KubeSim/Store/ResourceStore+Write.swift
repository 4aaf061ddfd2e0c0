import Foundation

/// Which part of an object an update writes.
public enum Subresource: String, Sendable {
    /// The object: status changes are ignored for types with a status subresource.
    case main
    /// Only `status` is taken from the new object.
    case status
}

/// What DELETE did.
public enum DeleteOutcome: Sendable {
    /// Gone; the object's last state (with the deletion's resourceVersion).
    case deleted(StoredObject)
    /// Marked with deletionTimestamp (finalizers or graceful pod deletion); still present.
    case pending(StoredObject)
}

extension ResourceStore {
    /// Creates an object (POST). Sets uid, creationTimestamp, generation and resourceVersion; a
    /// `generateName` gets a random suffix. 409 AlreadyExists, 404 for a missing namespace, 422 for
    /// an invalid name. Status is stored as given (the HTTP layer resets it for client creates).
    @discardableResult
    public func create(_ type: ResourceType, namespace: String?, object: JSONValue) throws(StatusError) -> StoredObject {
        var value = try normalizedForCreate(type, namespace: namespace, object: object)
        for hook in hooks(for: type) { try hook(.create, &value, nil) }
        let generateName = value.value(at: ["metadata", "generateName"])?.stringValue
        for _ in 0..<8 {
            var candidate = value
            if candidate.value(at: ["metadata", "name"])?.stringValue?.isEmpty ?? true, let generateName {
                candidate.set(.string(generateName + NameGenerator.suffix()), at: ["metadata", "name"])
            }
            let name = candidate.value(at: ["metadata", "name"])?.stringValue ?? ""
            if let invalid = NameValidation.check(type, name: name) { throw invalid }
            let ns = candidate.value(at: ["metadata", "namespace"])?.stringValue ?? ""
            condition.lock()
            defer { condition.unlock() }
            if type.namespaced, tables[ResourceCatalog.namespaces.storageKey]?.object(forKey: ns) == nil {
                throw StatusError.notFound(ResourceCatalog.namespaces, name: ns)
            }
            if tables[type.storageKey]?.object(forKey: StoredObject.key(namespace: ns, name: name)) != nil {
                if generateName != nil && value.value(at: ["metadata", "name"]) == nil { continue }
                throw StatusError.alreadyExists(type, name: name)
            }
            return commitLocked(type, value: candidate, previous: nil)
        }
        throw StatusError.alreadyExists(type, name: generateName ?? "")
    }

    /// Replaces an object (PUT). A non-empty metadata.resourceVersion must match (else 409 Conflict);
    /// an empty one is an unconditional update.
    @discardableResult
    public func update(
        _ type: ResourceType, namespace: String?, name: String, object: JSONValue, subresource: Subresource = .main
    ) throws(StatusError) -> StoredObject {
        if let bodyName = object.value(at: ["metadata", "name"])?.stringValue, bodyName != name {
            throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let expected = object.value(at: ["metadata", "resourceVersion"])?.stringValue.flatMap { Int64($0) }
        // A PUT's uid is a precondition (DefaultUpdatedObjectInfo.Preconditions): 409 when it differs.
        let preconditionUID = object.value(at: ["metadata", "uid"])?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return try modify(type, namespace: namespace, name: name, subresource: subresource) { value throws(StatusError) in
            if let preconditionUID, let current = value.value(at: ["metadata", "uid"])?.stringValue, current != preconditionUID {
                throw StatusError.conflict(type, name: name, detail: "Precondition failed: UID in precondition: \(preconditionUID), UID in object meta: \(current)")
            }
            value = object
            if expected == nil { value.remove(at: ["metadata", "resourceVersion"]) }
        }
    }

    /// Read-modify-write with optimistic concurrency, retried on a concurrent write: `body`
    /// changes the current object (it runs outside the lock and may be called more than once).
    /// If the changed object names a different resourceVersion than the current one: 409.
    /// A write that changes nothing does not bump the resourceVersion.
    @discardableResult
    public func modify(
        _ type: ResourceType, namespace: String?, name: String, subresource: Subresource = .main,
        _ body: (inout JSONValue) throws(StatusError) -> Void
    ) throws(StatusError) -> StoredObject {
        let ns = type.namespaced ? namespace ?? "" : ""
        for _ in 0..<64 {
            guard let current = get(type, namespace: ns, name: name) else { throw StatusError.notFound(type, name: name) }
            let old = current.value
            var changed = old
            try body(&changed)
            if let version = changed.value(at: ["metadata", "resourceVersion"])?.stringValue, !version.isEmpty,
                version != String(current.resourceVersion)
            {
                throw StatusError.conflict(type, name: name)
            }
            // metadata.uid is immutable (ValidateObjectMetaUpdate): a patch naming another uid — the
            // object was replaced under the same name — is refused with 422 and changes nothing.
            if let uid = changed.value(at: ["metadata", "uid"])?.stringValue, !uid.isEmpty, uid != current.uid {
                throw StatusError.invalid(type, name: name, field: "metadata.uid", detail: "Invalid value: \"\(uid)\": field is immutable")
            }
            var merged = Self.merge(type, old: old, new: changed, subresource: subresource)
            for hook in hooks(for: type) { try hook(.update, &merged, current) }
            condition.lock()
            defer { condition.unlock() }
            guard let latest = tables[type.storageKey]?.object(forKey: current.key),
                latest.resourceVersion == current.resourceVersion
            else { continue }
            if Self.finalizersEmptiedOnDeletion(merged, previous: latest) {
                return removeLocked(type, object: latest)
            }
            merged.set(.string(String(current.resourceVersion)), at: ["metadata", "resourceVersion"])
            merged = ObjectShape.canonical(merged)
            if JSONSerializer.serialize(merged) == current.bytes { return current }
            return commitLocked(type, value: merged, previous: current)
        }
        throw StatusError.conflict(type, name: name)
    }

    /// Deletes an object. With finalizers (or graceful pod deletion on a node) it is only marked
    /// with deletionTimestamp; it goes when the finalizers are removed (or the kubelet deletes it
    /// with grace 0). Preconditions mismatch: 409.
    @discardableResult
    public func delete(
        _ type: ResourceType, namespace: String?, name: String, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int? = nil
    ) throws(StatusError) -> DeleteOutcome {
        let ns = type.namespaced ? namespace ?? "" : ""
        if type.storageKey == ResourceCatalog.namespaces.storageKey {
            deleteContents(ofNamespace: name)
        }
        condition.lock()
        defer { condition.unlock() }
        guard let current = tables[type.storageKey]?.object(forKey: StoredObject.key(namespace: ns, name: name)) else {
            throw StatusError.notFound(type, name: name)
        }
        if let preconditionUID, preconditionUID != current.uid {
            throw StatusError.conflict(type, name: name, detail: "Precondition failed: UID in precondition: \(preconditionUID), UID in object meta: \(current.uid)")
        }
        if let preconditionResourceVersion, preconditionResourceVersion != String(current.resourceVersion) {
            throw StatusError.conflict(type, name: name, detail: "Precondition failed: ResourceVersion in precondition: \(preconditionResourceVersion), ResourceVersion in object meta: \(current.resourceVersion)")
        }
        let grace = gracePeriodSeconds ?? 30
        let graceful = type.storageKey == "pods" && gracefulPodDeletionLocked && grace > 0
            && !(current.fields["spec.nodeName"] ?? "").isEmpty
            && !["Succeeded", "Failed"].contains(current.fields["status.phase"] ?? "")
        if !current.finalizers.isEmpty || graceful {
            if current.deletionPending { return .pending(current) }
            var value = current.value
            let stamp = now().addingTimeInterval(graceful ? Double(grace) : 0)
            value.set(.string(KubeTime.format(stamp)), at: ["metadata", "deletionTimestamp"])
            value.set(.int(Int64(graceful ? grace : 0)), at: ["metadata", "deletionGracePeriodSeconds"])
            return .pending(commitLocked(type, value: ObjectShape.canonical(value), previous: current))
        }
        return .deleted(removeLocked(type, object: current))
    }

    /// When on, deleting a pod bound to a node only marks it (deletionTimestamp + grace); the
    /// simulated kubelet finishes with `delete(..., gracePeriodSeconds: 0)`. Default off.
    public var gracefulPodDeletion: Bool {
        get {
            condition.lock()
            defer { condition.unlock() }
            return gracefulPodDeletionLocked
        }
        set {
            condition.lock()
            defer { condition.unlock() }
            gracefulPodDeletionLocked = newValue
        }
    }

    private func deleteContents(ofNamespace namespace: String) {
        for type in ResourceCatalog.all where type.namespaced {
            for object in objects(type, namespace: namespace) {
                condition.lock()
                if let latest = tables[type.storageKey]?.object(forKey: object.key) {
                    _ = removeLocked(type, object: latest)
                }
                condition.unlock()
            }
        }
    }

    // MARK: Internals (callers hold the lock where the name says so)

    /// Writes `value` as the new state: next resourceVersion, serialized bytes, history event.
    func commitLocked(_ type: ResourceType, value: JSONValue, previous: StoredObject?) -> StoredObject {
        let version = history.newest + 1
        var value = value
        value.set(.string(String(version)), at: ["metadata", "resourceVersion"])
        value = ObjectShape.canonical(value)
        let object = StoredObject(type: type, value: value, bytes: JSONSerializer.serialize(value))
        tables[type.storageKey, default: ResourceTable()].put(object)
        history.append(WatchEvent(kind: previous == nil ? .added : .modified, object: object, previous: previous))
        condition.broadcast()
        return object
    }

    func removeLocked(_ type: ResourceType, object: StoredObject) -> StoredObject {
        let version = history.newest + 1
        var value = object.value
        value.set(.string(String(version)), at: ["metadata", "resourceVersion"])
        let last = StoredObject(type: type, value: value, bytes: JSONSerializer.serialize(value))
        tables[type.storageKey]?.remove(key: object.key)
        history.append(WatchEvent(kind: .deleted, object: last, previous: object))
        condition.broadcast()
        return last
    }

    /// Fills what the API server sets on create.
    func normalizedForCreate(_ type: ResourceType, namespace: String?, object: JSONValue) throws(StatusError) -> JSONValue {
        guard case .object = object else { throw StatusError.badRequest("the body of the request was not a JSON object") }
        var value = object
        value["kind"] = .string(type.kind)
        value["apiVersion"] = .string(type.apiVersion)
        if type.namespaced {
            let bodyNamespace = value.value(at: ["metadata", "namespace"])?.stringValue ?? ""
            let requested = namespace ?? ""
            if !bodyNamespace.isEmpty, !requested.isEmpty, bodyNamespace != requested {
                throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            let effective = requested.isEmpty ? (bodyNamespace.isEmpty ? "default" : bodyNamespace) : requested
            value.set(.string(effective), at: ["metadata", "namespace"])
        } else {
            value.remove(at: ["metadata", "namespace"])
        }
        let name = value.value(at: ["metadata", "name"])?.stringValue ?? ""
        let generateName = value.value(at: ["metadata", "generateName"])?.stringValue ?? ""
        if name.isEmpty && generateName.isEmpty {
            throw StatusError(code: 422, reason: "Invalid",
                            message: "\(type.kind) \"\" is invalid: metadata.name: Required value: name or generateName is required",
                            kind: type.kind, causes: [StatusError.Cause(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        value.set(.string(NameGenerator.uid()), at: ["metadata", "uid"])
        value.set(.string(KubeTime.format(now())), at: ["metadata", "creationTimestamp"])
        value.remove(at: ["metadata", "resourceVersion"])
        value.remove(at: ["metadata", "deletionTimestamp"])
        value.remove(at: ["metadata", "deletionGracePeriodSeconds"])
        if type.tracksGeneration { value.set(.int(1), at: ["metadata", "generation"]) }
        if type.storageKey == ResourceCatalog.namespaces.storageKey {
            value.set(.string(name), at: ["metadata", "labels", "kubernetes.io/metadata.name"])
            if value["spec"] == nil { value["spec"] = ["finalizers": ["kubernetes"]] }
            value["status"] = ["phase": "Active"]
        }
        return value
    }

    /// The new state of an update: identity fields from the old object, status or not by
    /// subresource, generation bumped when the spec changed.
    static func merge(_ type: ResourceType, old: JSONValue, new: JSONValue, subresource: Subresource) -> JSONValue {
        var result: JSONValue
        switch subresource {
        case .status:
            result = old
            result["status"] = new["status"]
        case .main:
            result = new
            if type.hasStatus { result["status"] = old["status"] }
            for field in ["uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "deletionGracePeriodSeconds"] {
                if let kept = old.value(at: ["metadata", field]) {
                    result.set(kept, at: ["metadata", field])
                } else {
                    result.remove(at: ["metadata", field])
                }
            }
            if type.tracksGeneration {
                var generation = old.value(at: ["metadata", "generation"])?.intValue ?? 1
                if old["spec"] != new["spec"] { generation += 1 }
                result.set(.int(generation), at: ["metadata", "generation"])
            }
        }
        result["kind"] = .string(type.kind)
        result["apiVersion"] = .string(type.apiVersion)
        if result["status"] == nil || result["status"] == .null { result["status"] = nil }
        return result
    }

    static func finalizersEmptiedOnDeletion(_ value: JSONValue, previous: StoredObject) -> Bool {
        guard previous.deletionPending, !previous.finalizers.isEmpty else { return false }
        let finalizers = value.value(at: ["metadata", "finalizers"])?.arrayValue ?? []
        let graceful = (value.value(at: ["metadata", "deletionGracePeriodSeconds"])?.intValue ?? 0) > 0
        return finalizers.isEmpty && !graceful
    }
}
