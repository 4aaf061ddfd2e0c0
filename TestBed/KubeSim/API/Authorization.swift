import Foundation

/// One RBAC-like rule of a token's permissions ("*" matches anything).
public struct PolicyRule: Sendable, Equatable {
    public var apiGroups: [String]
    /// Resources, with subresources as "pods/eviction", "deployments/status".
    public var resources: [String]
    public var verbs: [String]
    /// Namespaces the rule applies to; nil = every namespace and the cluster scope (ClusterRole
    /// binding); a list = a RoleBinding in each of them.
    public var namespaces: [String]?
    public var resourceNames: [String]

    public init(apiGroups: [String], resources: [String], verbs: [String], namespaces: [String]? = nil,
                resourceNames: [String] = []) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.namespaces = namespaces
        self.resourceNames = resourceNames
    }

    /// Everything: what system:masters may do.
    public static let all = PolicyRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])

    func allows(_ info: RequestInfo) -> Bool {
        guard verbs.contains("*") || verbs.contains(info.verb) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(info.group) else { return false }
        let resource = info.subresource.isEmpty ? info.resource : "\(info.resource)/\(info.subresource)"
        let resourceMatches = resources.contains { rule in
            rule == "*" || rule == resource || (rule.hasSuffix("/*") && info.resource == rule.dropLast(2).description
                && !info.subresource.isEmpty) || (rule.hasPrefix("*/") && info.subresource == rule.dropFirst(2).description)
        }
        guard resourceMatches else { return false }
        if !resourceNames.isEmpty && !resourceNames.contains(info.name) { return false }
        if let namespaces {
            // A RoleBinding never grants cluster-scoped access (nor all-namespace lists).
            guard !info.namespace.isEmpty, namespaces.contains(info.namespace) || namespaces.contains("*") else {
                return false
            }
        }
        return true
    }
}

/// A bearer token the simulated API server accepts.
public struct TokenGrant: Sendable {
    public var user: String
    public var groups: [String]
    /// nil: allowed everything (admin).
    public var rules: [PolicyRule]?
    public var expiresAt: Date?

    public init(user: String, groups: [String] = ["system:authenticated"], rules: [PolicyRule]?, expiresAt: Date? = nil) {
        self.user = user
        self.groups = groups
        self.rules = rules
        self.expiresAt = expiresAt
    }

    func allows(_ info: RequestInfo) -> Bool {
        guard let rules else { return true }
        if !info.isResourceRequest { return true }  // discovery, /version: system:discovery
        return rules.contains { $0.allows(info) }
    }

    /// The 403 Status for a denied request (apiserver endpoints/handlers/responsewriters).
    static func forbidden(user: String, info: RequestInfo) -> StatusError {
        guard info.isResourceRequest else {
            return StatusError(code: 403, reason: "Forbidden",
                             message: "forbidden: User \"\(user)\" cannot \(info.verb) path \"\(info.path)\"", hasDetails: true)
        }
        let resource = info.subresource.isEmpty ? info.resource : "\(info.resource)/\(info.subresource)"
        var reasonText = "User \"\(user)\" cannot \(info.verb) resource \"\(resource)\" in API group \"\(info.group)\""
        if !info.namespace.isEmpty {
            reasonText += " in the namespace \"\(info.namespace)\""
        } else {
            reasonText += " at the cluster scope"
        }
        let qualified = info.group.isEmpty ? info.resource : "\(info.resource).\(info.group)"
        let subject = info.name.isEmpty ? "\(qualified) is forbidden" : "\(qualified) \"\(info.name)\" is forbidden"
        return StatusError(code: 403, reason: "Forbidden", message: "\(subject): \(reasonText)",
                         name: info.name.isEmpty ? nil : info.name, group: info.group.isEmpty ? nil : info.group,
                         kind: info.resource)
    }
}
