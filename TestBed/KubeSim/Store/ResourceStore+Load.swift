import Foundation

extension ResourceStore {
    /// Seeds objects exactly as given — status, uids, ownerReferences, timestamps included — as a
    /// restored etcd would serve them. Fills only what is missing (namespace "default" for
    /// namespaced kinds, uid, creationTimestamp, generation; a name from generateName) and
    /// creates missing Namespaces. Each object gets a new resourceVersion; no watch events are
    /// recorded: the history starts after the load (older resourceVersions are 410).
    /// Returns the stored objects in input order.
    @discardableResult
    public func load(_ values: [JSONValue]) throws(StatusError) -> [StoredObject] {
        var prepared: [(ResourceType, JSONValue)] = []
        prepared.reserveCapacity(values.count)
        var namespacesSeen: [String] = []
        var namespaceSet = Set<String>()
        for var value in values {
            let apiVersion = value["apiVersion"]?.stringValue ?? ""
            let kind = value["kind"]?.stringValue ?? ""
            guard let type = ResourceCatalog.find(apiVersion: apiVersion, kind: kind) else {
                throw StatusError.badRequest("no kind \"\(kind)\" is registered for version \"\(apiVersion)\" in the simulated API server")
            }
            if type.namespaced {
                let namespace = value.value(at: ["metadata", "namespace"])?.stringValue ?? ""
                let effective = namespace.isEmpty ? "default" : namespace
                value.set(.string(effective), at: ["metadata", "namespace"])
                if namespaceSet.insert(effective).inserted { namespacesSeen.append(effective) }
            } else {
                value.remove(at: ["metadata", "namespace"])
            }
            if (value.value(at: ["metadata", "name"])?.stringValue ?? "").isEmpty {
                guard let generateName = value.value(at: ["metadata", "generateName"])?.stringValue else {
                    throw StatusError.badRequest("\(kind) without metadata.name or metadata.generateName")
                }
                value.set(.string(generateName + NameGenerator.suffix()), at: ["metadata", "name"])
            }
            if value.value(at: ["metadata", "uid"]) == nil {
                value.set(.string(NameGenerator.uid()), at: ["metadata", "uid"])
            }
            if value.value(at: ["metadata", "creationTimestamp"]) == nil {
                value.set(.string(KubeTime.format(now())), at: ["metadata", "creationTimestamp"])
            }
            if type.tracksGeneration && value.value(at: ["metadata", "generation"]) == nil {
                value.set(.int(1), at: ["metadata", "generation"])
            }
            prepared.append((type, value))
        }
        let namespaceType = ResourceCatalog.namespaces
        condition.lock()
        defer { condition.unlock() }
        for namespace in namespacesSeen where tables[namespaceType.storageKey]?.object(forKey: namespace) == nil {
            let given = prepared.contains { $0.0 == namespaceType && $0.1.value(at: ["metadata", "name"])?.stringValue == namespace }
            if given { continue }
            let value: JSONValue = [
                "kind": "Namespace", "apiVersion": "v1",
                "metadata": ["name": .string(namespace), "uid": .string(NameGenerator.uid()),
                             "creationTimestamp": .string(KubeTime.format(now())),
                             "labels": ["kubernetes.io/metadata.name": .string(namespace)]],
                "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
            ]
            prepared.insert((namespaceType, value), at: 0)
        }
        var version = history.newest
        var byTable: [String: [StoredObject]] = [:]
        var stored: [StoredObject] = []
        stored.reserveCapacity(prepared.count)
        for (type, value) in prepared {
            version += 1
            var value = value
            value.set(.string(String(version)), at: ["metadata", "resourceVersion"])
            value = ObjectShape.canonical(value)
            let object = StoredObject(type: type, value: value, bytes: JSONSerializer.serialize(value))
            byTable[type.storageKey, default: []].append(object)
            stored.append(object)
        }
        for (key, objects) in byTable {
            tables[key, default: ResourceTable()].bulkLoad(objects)
        }
        history.compact(through: version)
        snapshots.removeOlder(than: version)
        condition.broadcast()
        return stored
    }
}
