import Foundation
import HTTPServer

/// Response helpers: JSON bodies and Status errors with the API server's headers.
enum ResponseWriting {
    static func headers(contentType: String = "application/json") -> [(String, String)] {
        [("Audit-Id", NameGenerator.uid()), ("Cache-Control", "no-cache, private"), ("Content-Type", contentType)]
    }

    static func json(_ writer: any HTTPResponseWriter, status: Int = 200, bytes: [UInt8],
                     contentType: String = "application/json") {
        writer.respond(status: status, headers: headers(contentType: contentType), body: bytes)
    }

    static func json(_ writer: any HTTPResponseWriter, status: Int = 200, value: JSONValue,
                     contentType: String = "application/json") {
        var bytes = JSONSerializer.serialize(value)
        bytes.append(UInt8(ascii: "\n"))
        json(writer, status: status, bytes: bytes, contentType: contentType)
    }

    static func status(_ writer: any HTTPResponseWriter, _ status: StatusError) {
        var headers = headers()
        if let retry = status.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
        writer.respond(status: status.code, headers: headers, body: status.bytes)
    }

    /// `{"kind":"Status",...,"status":"Success","code":N}` (eviction accepted, some deletes).
    static func success(code: Int, name: String? = nil, type: ResourceType? = nil, uid: String? = nil) -> JSONValue {
        var object: JSONObject = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success"]
        if let name, let type {
            var details: JSONObject = ["name": .string(name)]
            if !type.group.isEmpty { details["group"] = .string(type.group) }
            details["kind"] = .string(type.resource)
            if let uid { details["uid"] = .string(uid) }
            object["details"] = .object(details)
        }
        object["code"] = .int(Int64(code))
        return .object(object)
    }
}
