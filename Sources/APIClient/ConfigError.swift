/// A configuration that cannot be used, naming the file and the field that is wrong.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var field: String?
    public var problem: String

    public init(file: String? = nil, field: String? = nil, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let field { parts.append(field) }
        parts.append(problem)
        return parts.joined(separator: ": ")
    }
}
