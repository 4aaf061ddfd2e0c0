import Synchronization

/// What servers answered to a streaming initial sync, per resource: once a resource's server
/// has refused it (an error for the parameters) or ignored it (a plain watch without the end
/// bookmark), its reflectors list in pages from then on, without asking again. Shared by the
/// reflectors of one client, so several namespaces of one resource learn it once.
public final class StreamingSyncSupport: Sendable {
    private let unsupported = Mutex<[String: String]>([:])

    public init() {}

    /// Whether `resource`'s server is known not to support a streaming sync.
    public func isUnsupported(_ resource: String) -> Bool {
        unsupported.withLock { $0[resource] != nil }
    }

    /// Why `resource`'s server does not support it (nil: not known to refuse).
    public func reason(_ resource: String) -> String? {
        unsupported.withLock { $0[resource] }
    }

    /// Records that `resource`'s server does not support it; true the first time (to log once).
    @discardableResult
    public func markUnsupported(_ resource: String, reason: String) -> Bool {
        unsupported.withLock { known in
            guard known[resource] == nil else { return false }
            known[resource] = reason
            return true
        }
    }
}
