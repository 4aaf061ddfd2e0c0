/// An annotation value that could not be used. Becomes a Warning Event on `object`; the next
/// level's value (Namespace, then the controller's flags) applies instead.
public struct Diagnostic: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var object: ObjectRef
    public var annotation: String
    public var value: String
    public var problem: String

    public init(object: ObjectRef, annotation: String, value: String, problem: String) {
        self.object = object
        self.annotation = annotation
        self.value = value
        self.problem = problem
    }

    /// Suitable as an Event message.
    public var description: String {
        "invalid \(annotation)=\"\(value.prefix(200))\" on \(object): \(problem)"
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.object, a.annotation, a.value) < (b.object, b.annotation, b.value)
    }
}
