/// The name rules of k8s.io/apimachinery/pkg/util/validation, with their exact messages.
enum NameValidation {
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
        + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    static func isLabel(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        let bytes = Array(name.utf8)
        func alphanumeric(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard alphanumeric(bytes.first!), alphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static func isSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    /// nil when valid, else the 422 for metadata.name.
    static func check(_ type: ResourceType, name: String) -> StatusError? {
        let labelOnly = type.resource == "namespaces"
        let valid = labelOnly ? isLabel(name) : isSubdomain(name)
        guard !valid else { return nil }
        let detail = "Invalid value: \"\(name)\": " + (labelOnly ? labelMessage : subdomainMessage)
        return StatusError.invalid(type, name: name, field: "metadata.name", detail: detail)
    }
}
