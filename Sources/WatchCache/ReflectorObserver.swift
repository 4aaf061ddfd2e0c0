/// Receives the reflector's lifecycle, for metrics and readiness.
public protocol ReflectorObserver: Sendable {
    func relisted(resource: String, objects: Int)
    func watchRestarted(resource: String, reason: String)
}

public struct NoReflectorObserver: ReflectorObserver {
    public init() {}
    public func relisted(resource: String, objects: Int) {}
    public func watchRestarted(resource: String, reason: String) {}
}
