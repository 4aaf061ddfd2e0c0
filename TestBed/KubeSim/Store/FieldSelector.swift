/// A parsed field selector (`metadata.name=x,spec.nodeName!=,status.phase=Running`). Only fields
/// the API server supports for the type are accepted; others get its 400 message.
public struct FieldSelector: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public var field: String
        public var value: String
        public var negated: Bool
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = fields[requirement.field] ?? ""
            return requirement.negated ? actual != requirement.value : actual == requirement.value
        }
    }

    /// Fields every type supports, and per-type extras (pkg/registry/*/strategy.go ToSelectableFields).
    static func supportedFields(_ type: ResourceType) -> [String] {
        var fields = ["metadata.name", "metadata.namespace"]
        switch type.storageKey {
        case "pods":
            fields += ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                       "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]
        case "events":
            fields += ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                       "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                       "reason", "reportingComponent", "source", "type"]
        case "namespaces":
            fields += ["status.phase"]
        case "replicationcontrollers":
            fields += ["status.replicas"]
        case "batch/jobs":
            fields += ["status.successful"]
        default:
            break
        }
        return fields
    }

    public static func parse(_ text: String, type: ResourceType) throws(StatusError) -> FieldSelector {
        let supported = supportedFields(type)
        var requirements: [Requirement] = []
        for term in text.split(separator: ",") {
            let term = String(term)
            var parsed: Requirement?
            for op in ["!=", "==", "="] {
                if let range = term.range(of: op) {
                    parsed = Requirement(field: String(term[..<range.lowerBound]).trimmingCharacters(in: " "),
                                         value: String(term[range.upperBound...]).trimmingCharacters(in: " "),
                                         negated: op == "!=")
                    break
                }
            }
            guard let requirement = parsed else {
                throw StatusError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            guard supported.contains(requirement.field) else {
                throw StatusError.badRequest(
                    "field label not supported: \(requirement.field)")
            }
            requirements.append(requirement)
        }
        return FieldSelector(requirements: requirements)
    }

    private static let pathsByType: [String: [(String, [String])]] = {
        var table: [String: [(String, [String])]] = [:]
        for type in ResourceCatalog.all {
            table[type.storageKey] = supportedFields(type).map { ($0, $0.split(separator: ".").map(String.init)) }
        }
        return table
    }()

    private static func fieldPaths(_ type: ResourceType) -> [(String, [String])] {
        pathsByType[type.storageKey] ?? supportedFields(type).map { ($0, $0.split(separator: ".").map(String.init)) }
    }

    /// The selectable fields of an object, computed once when it is stored.
    static func indexedFields(of value: JSONValue, type: ResourceType) -> [String: String] {
        var fields: [String: String] = [:]
        for (field, path) in fieldPaths(type) {
            guard let found = value.value(at: path) else { continue }
            switch found {
            case .string(let text): fields[field] = text
            case .int(let number): fields[field] = String(number)
            case .bool(let flag): fields[field] = flag ? "true" : "false"
            default: continue
            }
        }
        if type.storageKey == "events", let source = value.value(at: ["source", "component"])?.stringValue {
            fields["source"] = source
        }
        return fields
    }
}
