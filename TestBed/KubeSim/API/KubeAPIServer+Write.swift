import Foundation
import HTTPServer

extension KubeAPIServer {
    static func body(_ request: HTTPRequest) throws(StatusError) -> JSONValue {
        // Only JSON bodies are understood (no protobuf, CBOR or YAML): 415 as the API server
        // answers a media type it has no serializer for.
        if let contentType = request.header("Content-Type")?.lowercased(), !contentType.isEmpty,
            !contentType.hasPrefix("application/json"), !contentType.hasPrefix("*/*")
        {
            throw StatusError.unsupportedMediaType
        }
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw StatusError.badRequest("error decoding body: \(error.message)")
        }
    }

    /// 400 when the body names another kind or apiVersion than the URL.
    static func checkKind(_ value: JSONValue, type: ResourceType) throws(StatusError) {
        let kind = value["kind"]?.stringValue ?? ""
        let apiVersion = value["apiVersion"]?.stringValue ?? ""
        if (!kind.isEmpty && kind != type.kind) || (!apiVersion.isEmpty && apiVersion != type.apiVersion) {
            throw StatusError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
    }

    func serveCreate(_ request: HTTPRequest, type: ResourceType, namespace: String,
                     writer: any HTTPResponseWriter) throws(StatusError) {
        var value = try Self.body(request)
        try Self.checkKind(value, type: type)
        // What the registries' PrepareForCreate does with a client's status.
        if type.storageKey == "pods" {
            value["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
        } else if type.hasStatus && type.resource != "namespaces" {
            value["status"] = [:]
        }
        if type == ResourceCatalog.events {
            // The zero values core/v1 Event serializes with (the API server stores a typed struct).
            if value["eventTime"] == nil { value["eventTime"] = .null }
            if value["reportingComponent"] == nil { value["reportingComponent"] = "" }
            if value["reportingInstance"] == nil { value["reportingInstance"] = "" }
        }
        if type == ResourceCatalog.eventsV1, let prefix = value.value(at: ["metadata", "generateName"])?.stringValue,
            !prefix.isEmpty, !NameValidation.isSubdomain(prefix)
        {
            // events.k8s.io validates generateName itself as a name (core/v1 does not).
            let name = prefix + NameGenerator.suffix()
            throw StatusError(code: 422, reason: "Invalid",
                            message: "Event \"\(name)\" is invalid: metadata.generateName: Invalid value: \"\(prefix)\": \(NameValidation.subdomainMessage)",
                            name: name, kind: "Event",
                            causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(prefix)\": \(NameValidation.subdomainMessage)",
                                           field: "metadata.generateName")])
        }
        if request.query("dryRun") == "All" {
            let normalized = try store.normalizedForCreate(type, namespace: namespace, object: value)
            ResponseWriting.json(writer, status: 201, value: ObjectShape.canonical(normalized))
            return
        }
        let created = try store.create(type, namespace: namespace.isEmpty ? nil : namespace, object: value)
        var bytes = created.bytes
        bytes.append(UInt8(ascii: "\n"))
        ResponseWriting.json(writer, status: 201, bytes: bytes)
    }

    func serveUpdate(_ request: HTTPRequest, type: ResourceType, namespace: String, info: RequestInfo,
                     writer: any HTTPResponseWriter) throws(StatusError) {
        let value = try Self.body(request)
        try Self.checkKind(value, type: type)
        let subresource: Subresource = info.subresource == "status" ? .status : .main
        let updated = try store.update(type, namespace: namespace, name: info.name, object: value, subresource: subresource)
        var bytes = updated.bytes
        bytes.append(UInt8(ascii: "\n"))
        ResponseWriting.json(writer, bytes: bytes)
    }

    func servePatch(_ request: HTTPRequest, type: ResourceType, namespace: String, info: RequestInfo,
                    writer: any HTTPResponseWriter) throws(StatusError) {
        let contentType = (request.header("Content-Type") ?? "").split(separator: ";").first.map {
            String($0).trimmingCharacters(in: " ").lowercased()
        } ?? ""
        let apply: (JSONValue) throws(PatchError) -> JSONValue
        switch contentType {
        case "application/strategic-merge-patch+json":
            apply = { target throws(PatchError) in try StrategicMergePatch.apply(patchBytes: request.body, to: target) }
        case "application/merge-patch+json":
            apply = { target throws(PatchError) in try JSONMergePatch.apply(patchBytes: request.body, to: target) }
        case "application/json-patch+json":
            apply = { target throws(PatchError) in try JSONPatch.apply(patchBytes: request.body, to: target) }
        default:
            throw StatusError.unsupportedMediaType
        }
        let subresource: Subresource = info.subresource == "status" ? .status : .main
        let patched = try store.modify(type, namespace: namespace, name: info.name, subresource: subresource) { value throws(StatusError) in
            do throws(PatchError) {
                value = try apply(value)
            } catch {
                if error.isBadRequest { throw StatusError.badRequest(error.message) }
                throw StatusError(code: 422, reason: "Invalid", message: error.message, hasDetails: true)
            }
        }
        var bytes = patched.bytes
        bytes.append(UInt8(ascii: "\n"))
        ResponseWriting.json(writer, bytes: bytes)
    }

    /// DeleteOptions from the body or the query (gracePeriodSeconds, preconditions).
    static func deleteOptions(_ request: HTTPRequest) throws(StatusError) -> (uid: String?, version: String?, grace: Int?) {
        var uid: String?
        var version: String?
        var grace = request.query("gracePeriodSeconds").flatMap { Int($0) }
        if !request.body.isEmpty {
            let options = try body(request)
            uid = options.value(at: ["preconditions", "uid"])?.stringValue
            version = options.value(at: ["preconditions", "resourceVersion"])?.stringValue
            if let value = options["gracePeriodSeconds"]?.intValue { grace = Int(value) }
        }
        return (uid, version, grace)
    }

    func serveDelete(_ request: HTTPRequest, type: ResourceType, namespace: String, name: String,
                     writer: any HTTPResponseWriter) throws(StatusError) {
        let options = try Self.deleteOptions(request)
        let outcome = try store.delete(type, namespace: namespace, name: name, preconditionUID: options.uid,
                                       preconditionResourceVersion: options.version, gracePeriodSeconds: options.grace)
        switch outcome {
        case .pending(let object):
            var bytes = object.bytes
            bytes.append(UInt8(ascii: "\n"))
            ResponseWriting.json(writer, status: 200, bytes: bytes)
        case .deleted(let object):
            // Pods answer with the deleted object; most registries with a Success Status.
            if type.storageKey == "pods" || type.storageKey == "namespaces" {
                var bytes = object.bytes
                bytes.append(UInt8(ascii: "\n"))
                ResponseWriting.json(writer, status: 200, bytes: bytes)
            } else {
                ResponseWriting.json(writer, status: 200,
                                     value: ResponseWriting.success(code: 200, name: name, type: type, uid: object.uid))
            }
        }
    }

    func serveDeleteCollection(_ request: HTTPRequest, type: ResourceType, namespace: String,
                               writer: any HTTPResponseWriter) throws(StatusError) {
        let selection = try Self.selection(request, type: type)
        let options = try Self.deleteOptions(request)
        var deleted: [StoredObject] = []
        for object in store.objects(type, namespace: namespace.isEmpty ? nil : namespace) where selection.matches(object) {
            do throws(StatusError) {
                if case .deleted(let last) = try store.delete(type, namespace: object.namespace, name: object.name,
                                                              gracePeriodSeconds: options.grace) {
                    deleted.append(last)
                }
            } catch where error.code == 404 {
                continue  // deleted concurrently
            }
        }
        let page = ListPage(objects: deleted, resourceVersion: store.resourceVersion, continueToken: nil, remainingItemCount: nil)
        ResponseWriting.json(writer, bytes: Self.listBytes(page, type: type))
    }

    func serveEviction(_ request: HTTPRequest, namespace: String, name: String,
                       writer: any HTTPResponseWriter) throws(StatusError) {
        let body = request.body.isEmpty ? JSONValue.object(JSONObject()) : try Self.body(request)
        if let bodyName = body.value(at: ["metadata", "name"])?.stringValue, bodyName != name {
            throw StatusError.badRequest("name in URL does not match name in Eviction object")
        }
        let dryRun = request.query("dryRun") == "All"
            || (body.value(at: ["deleteOptions", "dryRun"])?.arrayValue?.contains(.string("All")) ?? false)
        try evict(EvictionRequest(namespace: namespace, name: name, deleteOptions: body["deleteOptions"], dryRun: dryRun))
        ResponseWriting.json(writer, status: 201, value: ResponseWriting.success(code: 201))
    }
}
