import Foundation
import Synchronization

/// The bearer tokens the server accepts; changeable while it runs (add, rotate, revoke, expire).
public final class TokenRegistry: Sendable {
    private let grants = Mutex<[String: TokenGrant]>([:])

    public init() {}

    public func add(_ token: String, grant: TokenGrant) {
        grants.withLock { $0[token] = grant }
    }

    public func revoke(_ token: String) {
        _ = grants.withLock { $0.removeValue(forKey: token) }
    }

    /// Replaces `old` by `new` with the same grant; returns false when `old` is unknown.
    @discardableResult
    public func rotate(_ old: String, to new: String) -> Bool {
        grants.withLock { grants in
            guard let grant = grants.removeValue(forKey: old) else { return false }
            grants[new] = grant
            return true
        }
    }

    /// The grant of a valid token at `now` (nil: unknown, revoked or expired → 401).
    public func authenticate(_ token: String, now: Date) -> TokenGrant? {
        grants.withLock { grants in
            guard let grant = grants[token] else { return nil }
            if let expiresAt = grant.expiresAt, expiresAt <= now { return nil }
            return grant
        }
    }
}

/// One served request, for tests that check which calls a client made (least-privilege RBAC).
public struct RequestRecord: Sendable, Equatable, CustomStringConvertible {
    public var method: String
    public var path: String
    /// get, list, watch, create, update, patch, delete, deletecollection; the HTTP verb otherwise.
    public var verb: String
    public var group: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    public var user: String
    public var code: Int
    /// The request's Content-Type (tells a strategic-merge patch from a merge patch).
    public var contentType: String = ""

    public var description: String {
        let target = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
        return "\(verb) \(group.isEmpty ? "" : group + "/")\(target) ns=\(namespace) name=\(name) user=\(user) → \(code)"
    }
}

/// The in-memory request log (bounded).
public final class RequestLog: Sendable {
    private let records = Mutex<[RequestRecord]>([])
    private let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func append(_ record: RequestRecord) {
        records.withLock { records in
            if records.count >= capacity { records.removeFirst(records.count / 2) }
            records.append(record)
        }
    }

    public var all: [RequestRecord] { records.withLock { $0 } }

    public func clear() {
        records.withLock { $0.removeAll() }
    }
}
