import Assess
import Foundation
import KubeModel

/// The failure memory as the leader publishes it on its Lease (one annotation): what
/// `token-warden report` and `explain` show as `backoff`, and what a new leader starts from so a
/// change of leader is no retry burst. Bounded: the newest `maximumEntries` entries (by their
/// latest failure), each message cut at `maximumMessageLength` characters. Pure.
public enum FailureRecord {
    /// The Lease annotation: a JSON array, newest failure first.
    public static let leaseAnnotation = "token-warden.dev/restart-backoff"
    public static let maximumEntries = 100
    public static let maximumMessageLength = 256

    /// One workload's entry as written.
    struct Item: Codable {
        /// `Deployment/shop/web` (`WorkloadID.description`); a custom kind also has `apiVersion`.
        var workload: String
        var apiVersion: String?
        /// `transient`, `permanent` or `gave-up`.
        var failure: String
        var retryAfter: Int?
        var deadline: String?
        var attempts: Int
        var until: String
        var since: String
        var lastFailedAt: String
        var generation: Int64?
        var reason: String?
        var message: String
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The annotation's value; nil when nothing backs off (the annotation is then removed).
    /// Entries whose wait ended before `now` are left out: they no longer hold anything back.
    public static func encode(_ memory: FailureMemory, now: Timestamp) -> String? {
        let current = memory.entries.filter { $0.value.until > now }
            .sorted { ($0.value.lastFailedAt, $1.key) > ($1.value.lastFailedAt, $0.key) }
            .prefix(maximumEntries)
        guard !current.isEmpty else { return nil }
        let items = current.map { id, entry in
            var item = Item(
                workload: id.description, apiVersion: nil, failure: "permanent", retryAfter: nil, deadline: nil, attempts: entry.failures,
                until: entry.until.rfc3339, since: entry.since.rfc3339, lastFailedAt: entry.lastFailedAt.rfc3339,
                generation: entry.generation, reason: entry.reason, message: String(entry.cause.prefix(maximumMessageLength)))
            if case .custom(_, let apiVersion) = id.kind { item.apiVersion = apiVersion }
            switch entry.failure {
            case .transient(let retryAfter):
                item.failure = "transient"
                item.retryAfter = retryAfter
            case .permanent:
                item.failure = "permanent"
            case .gaveUp(let deadline):
                item.failure = "gave-up"
                item.deadline = deadline?.rfc3339
            }
            return item
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(items), as: UTF8.self)
        } catch {
            // Strings, numbers and optionals only: encoding cannot fail.
            preconditionFailure("FailureRecord: \(error)")
        }
    }

    /// The entries the annotation holds. A value that is not this record (edited by hand, cut
    /// off) throws, saying what is wrong; the caller falls back to no record.
    public static func decode(_ text: String) throws(DecodeError) -> [WorkloadID: FailureMemory.Entry] {
        let items: [Item]
        do {
            items = try JSONDecoder().decode([Item].self, from: Data(text.utf8))
        } catch {
            throw DecodeError(description: "\(leaseAnnotation) is not a JSON array of backoff entries: \(error)")
        }
        var entries: [WorkloadID: FailureMemory.Entry] = [:]
        for item in items {
            let parts = item.workload.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty else {
                throw DecodeError(description: "\(leaseAnnotation): \"\(item.workload)\" is not KIND/NAMESPACE/NAME")
            }
            guard let until = Timestamp(rfc3339: item.until), let since = Timestamp(rfc3339: item.since),
                  let last = Timestamp(rfc3339: item.lastFailedAt)
            else { throw DecodeError(description: "\(leaseAnnotation): \(item.workload) has a time that is not RFC 3339") }
            let failure: FailureMemory.Failure
            switch item.failure {
            case "transient": failure = .transient(retryAfter: item.retryAfter)
            case "permanent": failure = .permanent
            case "gave-up": failure = .gaveUp(deadline: item.deadline.flatMap { Timestamp(rfc3339: $0) })
            default: throw DecodeError(description: "\(leaseAnnotation): \(item.workload) has failure \"\(item.failure)\"")
            }
            let id = WorkloadID(kind: kind(parts[0], apiVersion: item.apiVersion), namespace: parts[1], name: parts[2])
            entries[id] = FailureMemory.Entry(
                failures: max(1, item.attempts), until: until, failure: failure, generation: item.generation, cause: item.message,
                since: since, reason: item.reason, lastFailedAt: last)
        }
        return entries
    }

    static func kind(_ name: String, apiVersion: String?) -> WorkloadKind {
        switch (name, apiVersion) {
        case ("Deployment", nil): return .deployment
        case ("StatefulSet", nil): return .statefulSet
        case ("DaemonSet", nil): return .daemonSet
        case ("ReplicationController", nil): return .replicationController
        case ("ReplicaSet", nil): return .replicaSet
        case ("Job", nil): return .job
        case ("Pod", nil): return .pod
        default: return .custom(kind: name, apiVersion: apiVersion ?? "")
        }
    }
}
