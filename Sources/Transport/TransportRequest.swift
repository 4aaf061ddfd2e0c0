/// One HTTP request as the transport sends it. The caller adds every header, including
/// `Authorization`; the transport never logs headers.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Whole-transfer limit for one-shot requests. Streams (watches) have none: a quiet watch is
    /// normal, so they rely on `stallTimeoutSeconds` instead.
    public var timeoutSeconds: Double?
    /// A stream that delivers no byte for this long is treated as dead (the server sends
    /// bookmarks and ends watches itself, so silence beyond its own timeout means a stall).
    public var stallTimeoutSeconds: Int?
    /// Where a buffered response is received: the allocation a previous response left there.
    public var receiveBuffer: ReceiveBuffer?
    /// A stream whose consumer reports what it took (`TransportStream.consumed`): at most about
    /// this many received bytes wait for it; the transfer is paused meanwhile. nil: no limit.
    public var flowControlBytes: Int?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil, timeoutSeconds: Double? = 60, stallTimeoutSeconds: Int? = nil, receiveBuffer: ReceiveBuffer? = nil,
        flowControlBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.stallTimeoutSeconds = stallTimeoutSeconds
        self.receiveBuffer = receiveBuffer
        self.flowControlBytes = flowControlBytes
    }
}
