/// A `core/v1` Event, the kind `kubectl get events` and `kubectl describe` show.
///
/// Written the way client-go's record package writes them: `involvedObject`, `reason`,
/// `message`, `source`, first/last timestamps and a `count` that grows when the same event
/// repeats (the repeat patches `count` and `lastTimestamp` instead of creating another Event).
public struct CoreEvent: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .events }

    public var apiVersion: String? = "v1"
    public var kind: String? = "Event"
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var source: EventSource?
    public var firstTimestamp: Timestamp?
    public var lastTimestamp: Timestamp?
    public var count: Int?
    /// `Normal` or `Warning`.
    public var type: String?
    /// What was done (or failed), for events.k8s.io consumers.
    public var action: String?
    public var reportingComponent: String?
    public var reportingInstance: String?

    public init(
        metadata: ObjectMeta, involvedObject: ObjectReference, reason: String? = nil, message: String? = nil,
        source: EventSource? = nil, firstTimestamp: Timestamp? = nil, lastTimestamp: Timestamp? = nil, count: Int? = nil,
        type: String? = nil, action: String? = nil, reportingComponent: String? = nil, reportingInstance: String? = nil
    ) {
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.type = type
        self.action = action
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, action
        case reportingComponent, reportingInstance
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        involvedObject = try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject) ?? ObjectReference()
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        source = try c.decodeIfPresent(EventSource.self, forKey: .source)
        firstTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .firstTimestamp)
        lastTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .lastTimestamp)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        action = try c.decodeIfPresent(String.self, forKey: .action)
        reportingComponent = try c.decodeIfPresent(String.self, forKey: .reportingComponent)
        reportingInstance = try c.decodeIfPresent(String.self, forKey: .reportingInstance)
    }
}
