import KubeModel

/// Decides, like client-go's `EventCorrelator`, whether an Event is new (create), a repeat of one
/// already written (patch its `count` and `lastTimestamp`), or spam (drop). Pure: the caller
/// passes the time and does the I/O.
///
/// - Deduplication key: the object's uid (else kind/namespace/name), type, reason and message —
///   client-go's `EventLogger` key.
/// - Spam filter: a token bucket per object (client-go's `EventSourceObjectSpamFilter`: burst 25,
///   one more every 5 minutes), charged for every write, so a flapping workload cannot flood the
///   API server. Only repeats of one condition are held back (their count is kept, and the next
///   repeat written carries it); a new condition — a change of state such as gave up, timed out,
///   completed, failed — is always written.
struct EventCorrelator: Sendable {
    struct Key: Hashable, Sendable {
        var object: String
        var type: EventType
        var reason: EventReason
        var message: String
    }

    /// What was last written for a key.
    struct Record: Hashable, Sendable {
        var name: String
        var count: Int
        var firstTimestamp: Timestamp
    }

    enum Verdict: Hashable, Sendable {
        /// Write a new Event with this name (count 1).
        case create(name: String)
        /// Patch the existing Event `name` to this count and `lastTimestamp`.
        case patch(name: String, count: Int, firstTimestamp: Timestamp)
        /// A repeat over the object's budget: not written now (counted; the next repeat written carries the count).
        case skip
    }

    struct Limits: Sendable {
        var cacheSize = 4096
        var burst = 25
        var ratePerSecond = 1.0 / 300
    }

    let limits: Limits
    private var written: LRUCache<Key, Record>
    private var buckets: LRUCache<String, TokenBucket>

    init(limits: Limits = Limits()) {
        self.limits = limits
        written = LRUCache(capacity: limits.cacheSize)
        buckets = LRUCache(capacity: limits.cacheSize)
    }

    static func objectKey(_ event: WardenEvent) -> String {
        if let uid = event.regarding.uid, !uid.isEmpty { return uid }
        return "\(event.regarding.kind)/\(event.regarding.namespace ?? "")/\(event.regarding.name)"
    }

    static func key(_ event: WardenEvent) -> Key {
        Key(object: objectKey(event), type: event.type, reason: event.reason, message: event.message)
    }

    /// Classifies `event` at `now` (seconds since the epoch); `newName` names a new Event.
    /// A create or patch is recorded at once (count included), so a repeat arriving while the
    /// write is in flight is counted too.
    mutating func observe(_ event: WardenEvent, now: Double, newName: () -> String) -> Verdict {
        let objectKey = Self.objectKey(event)
        var bucket = buckets.get(objectKey) ?? TokenBucket(burst: limits.burst, ratePerSecond: limits.ratePerSecond, now: now)
        let allowed = bucket.take(now: now)
        buckets.set(objectKey, bucket)

        let key = Self.key(event)
        if var record = written.get(key) {
            record.count += 1
            written.set(key, record)
            guard allowed else { return .skip }
            return .patch(name: record.name, count: record.count, firstTimestamp: record.firstTimestamp)
        }
        let name = newName()
        written.set(key, Record(name: name, count: 1, firstTimestamp: Timestamp(seconds: Int64(now.rounded(.down)))))
        return .create(name: name)
    }

    /// The write failed: forget the record so the next occurrence creates a fresh Event.
    mutating func forget(_ event: WardenEvent) {
        written.remove(Self.key(event))
    }

    /// The Event was written under another name (a name clash was resolved).
    mutating func renamed(_ event: WardenEvent, to name: String) {
        let key = Self.key(event)
        if var record = written.get(key) {
            record.name = name
            written.set(key, record)
        }
    }
}
