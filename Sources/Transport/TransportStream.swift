/// A response whose body arrives over time (a watch). Iterating `body` yields the bytes as libcurl
/// delivers them — chunk boundaries are arbitrary, not lines. The iteration ends when the server
/// ends the response, and throws `TransportError` when the connection fails.
/// Cancelling the iterating task stops the transfer.
public struct TransportStream: Sendable {
    public var head: ResponseHead
    public var body: AsyncThrowingStream<[UInt8], any Error>
    private let onConsumed: (@Sendable (Int) -> Void)?

    public init(head: ResponseHead, body: AsyncThrowingStream<[UInt8], any Error>, onConsumed: (@Sendable (Int) -> Void)? = nil) {
        self.head = head
        self.body = body
        self.onConsumed = onConsumed
    }

    /// With `TransportRequest.flowControlBytes`: the consumer is done with `bytes` more of the body
    /// (call it for every chunk once it is processed, or the transfer stays paused).
    public func consumed(_ bytes: Int) {
        onConsumed?(bytes)
    }
}
