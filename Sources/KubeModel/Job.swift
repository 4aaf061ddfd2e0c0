/// A Job: only its identity and owner (a CronJob) matter; its pods are warned about, never restarted.
public struct Job: KubeObject, Hashable {
    public static var resource: ResourceDescriptor { .jobs }

    public var metadata: ObjectMeta
    public var status: Status?

    public init(metadata: ObjectMeta, status: Status? = nil) {
        self.metadata = metadata
        self.status = status
    }

    public struct Status: Codable, Hashable, Sendable {
        public var active: Int?
        public var succeeded: Int?
        public var failed: Int?

        public init(active: Int? = nil, succeeded: Int? = nil, failed: Int? = nil) {
            self.active = active
            self.succeeded = succeeded
            self.failed = failed
        }
    }
}
