/// A failure as kube-apiserver reports it: the `Status` object of every error response.
/// Thrown by the store and rendered by the HTTP layer.
public struct StatusError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String?

        public init(reason: String, message: String, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: String
    public var message: String
    /// `details`; nil when the response has none, an empty details object when `hasDetails`.
    public var detailsName: String?
    public var detailsGroup: String?
    public var detailsKind: String?
    public var detailsUID: String?
    public var causes: [Cause]
    public var hasDetails: Bool
    /// Seconds for a `Retry-After` header and `details.retryAfterSeconds`.
    public var retryAfterSeconds: Int?

    public init(
        code: Int, reason: String, message: String, name: String? = nil, group: String? = nil, kind: String? = nil,
        causes: [Cause] = [], hasDetails: Bool? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.detailsName = name
        self.detailsGroup = group
        self.detailsKind = kind
        self.causes = causes
        self.hasDetails = hasDetails ?? (name != nil || group != nil || kind != nil || !causes.isEmpty || retryAfterSeconds != nil)
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code) \(reason): \(message)" }

    // MARK: The errors of k8s.io/apimachinery/pkg/api/errors, with their exact messages.

    public static func notFound(_ type: ResourceType, name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(type.qualifiedName) \"\(name)\" not found",
                  name: name, group: type.group.isEmpty ? nil : type.group, kind: type.resource)
    }

    public static func alreadyExists(_ type: ResourceType, name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedName) \"\(name)\" already exists",
                  name: name, group: type.group.isEmpty ? nil : type.group, kind: type.resource)
    }

    public static func conflict(_ type: ResourceType, name: String,
                                detail: String = "the object has been modified; please apply your changes to the latest version and try again") -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                  message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": \(detail)",
                  name: name, group: type.group.isEmpty ? nil : type.group, kind: type.resource)
    }

    public static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    /// 422: `Kind "name" is invalid: field: message`.
    public static func invalid(_ type: ResourceType, name: String, field: String, detail: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: "\(type.kind) \"\(name)\" is invalid: \(field): \(detail)",
                  name: name, group: type.group.isEmpty ? nil : type.group, kind: type.kind,
                  causes: [Cause(reason: "FieldValueInvalid", message: detail, field: field)])
    }

    /// The 410 of a watch or list from a resourceVersion older than the history kept.
    public static func expired(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    public static func tooOldResourceVersion(requested: Int64, oldest: Int64) -> StatusError {
        expired("too old resource version: \(requested) (\(oldest))")
    }

    public static let continueExpired = StatusError.expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list "
            + "without the continue parameter, or use the continue value from the response to retrieve the remainder "
            + "of the results.")

    public static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static let unsupportedMediaType = StatusError(
        code: 415, reason: "UnsupportedMediaType", message: "415: Unsupported Media Type", hasDetails: true)

    public static func methodNotAllowed(_ message: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: message, hasDetails: true)
    }

    public static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                  causes: [Cause(reason: "", message: message)])
    }

    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int) -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: message, retryAfterSeconds: retryAfterSeconds)
    }

    public static func serviceUnavailable(_ message: String) -> StatusError {
        StatusError(code: 503, reason: "ServiceUnavailable", message: message)
    }

    // MARK: Rendering

    /// The `Status` object as JSON.
    public var json: JSONValue {
        var object: JSONObject = ["kind": "Status", "apiVersion": "v1", "metadata": .object(JSONObject())]
        object["status"] = "Failure"
        object["message"] = .string(message)
        object["reason"] = .string(reason)
        if hasDetails {
            var details = JSONObject()
            if let detailsName { details["name"] = .string(detailsName) }
            if let detailsGroup { details["group"] = .string(detailsGroup) }
            if let detailsKind { details["kind"] = .string(detailsKind) }
            if let detailsUID { details["uid"] = .string(detailsUID) }
            if !causes.isEmpty {
                details["causes"] = .array(causes.map { cause in
                    var item = JSONObject()
                    if !cause.reason.isEmpty { item["reason"] = .string(cause.reason) }
                    item["message"] = .string(cause.message)
                    if let field = cause.field { item["field"] = .string(field) }
                    return .object(item)
                })
            }
            if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
            object["details"] = .object(details)
        }
        object["code"] = .int(Int64(code))
        return .object(object)
    }

    /// Compact JSON followed by a newline, as the API server's encoder writes it.
    public var bytes: [UInt8] {
        var out = JSONSerializer.serialize(json)
        out.append(UInt8(ascii: "\n"))
        return out
    }
}
