/// A write its client's `WriteGate` refused: it was never sent.
public struct WriteFenced: Error, Sendable, CustomStringConvertible {
    public var verb: String
    public var path: String
    public var refusal: String

    public var description: String { "\(verb) \(path) not sent: \(refusal)" }
}
