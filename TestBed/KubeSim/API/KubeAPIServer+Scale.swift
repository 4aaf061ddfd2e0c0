import HTTPServer

extension KubeAPIServer {
    /// The autoscaling/v1 Scale view of a Deployment, ReplicaSet, StatefulSet or ReplicationController.
    static func scale(of object: StoredObject) -> JSONValue {
        let value = object.value
        var metadata = JSONObject()
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let member = value.value(at: ["metadata", field]) { metadata[field] = member }
        }
        let selectorLabels = value.value(at: ["spec", "selector", "matchLabels"])?.objectValue
            ?? (object.type.storageKey == "replicationcontrollers" ? value.value(at: ["spec", "selector"])?.objectValue : nil)
        let selector = selectorLabels.map { labels in
            zip(labels.keys, labels.values).map { "\($0)=\($1.stringValue ?? "")" }.joined(separator: ",")
        } ?? ""
        var status: JSONObject = ["replicas": .int(value.value(at: ["status", "replicas"])?.intValue ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": .int(value.value(at: ["spec", "replicas"])?.intValue ?? 1)], "status": .object(status),
        ]
    }

    /// GET, PUT and PATCH of the scale subresource: only spec.replicas is written through.
    func serveScale(_ request: HTTPRequest, type: ResourceType, namespace: String, info: RequestInfo,
                    writer: any HTTPResponseWriter) throws(StatusError) {
        guard let current = store.get(type, namespace: namespace, name: info.name) else {
            throw StatusError.notFound(type, name: info.name)
        }
        let replicas: Int64
        switch info.verb {
        case "get":
            ResponseWriting.json(writer, value: Self.scale(of: current))
            return
        case "update":
            let body = try Self.body(request)
            guard let value = body.value(at: ["spec", "replicas"])?.intValue else {
                throw StatusError.badRequest("Scale.spec.replicas is required")
            }
            if let version = body.value(at: ["metadata", "resourceVersion"])?.stringValue, !version.isEmpty,
                version != String(current.resourceVersion)
            {
                throw StatusError.conflict(type, name: info.name)
            }
            replicas = value
        case "patch":
            let contentType = (request.header("Content-Type") ?? "").split(separator: ";").first.map(String.init) ?? ""
            let patched: JSONValue
            do throws(PatchError) {
                switch contentType {
                case "application/strategic-merge-patch+json":
                    patched = try StrategicMergePatch.apply(patchBytes: request.body, to: Self.scale(of: current))
                case "application/merge-patch+json":
                    patched = try JSONMergePatch.apply(patchBytes: request.body, to: Self.scale(of: current))
                case "application/json-patch+json":
                    patched = try JSONPatch.apply(patchBytes: request.body, to: Self.scale(of: current))
                default:
                    throw PatchError("unsupported", isBadRequest: false)
                }
            } catch {
                if contentType.isEmpty || !contentType.hasPrefix("application/") || !contentType.hasSuffix("json") {
                    throw StatusError.unsupportedMediaType
                }
                if error.isBadRequest { throw StatusError.badRequest(error.message) }
                throw StatusError(code: 422, reason: "Invalid", message: error.message, hasDetails: true)
            }
            guard let value = patched.value(at: ["spec", "replicas"])?.intValue else {
                throw StatusError.badRequest("Scale.spec.replicas is required")
            }
            replicas = value
        default:
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        let updated = try store.modify(type, namespace: namespace, name: info.name) { value throws(StatusError) in
            value.set(.int(replicas), at: ["spec", "replicas"])
        }
        ResponseWriting.json(writer, value: Self.scale(of: updated))
    }
}
