/// A response whose body arrives over time (a watch). Iterating `body` yields the bytes as libcurl
/// delivers them — chunk boundaries are arbitrary, not lines. The iteration ends when the server
/// ends the response, and throws `TransportError` when the connection fails.
/// Cancelling the iterating task stops the transfer.
public struct TransportStream: Sendable {
    public var head: ResponseHead
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(head: ResponseHead, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.head = head
        self.body = body
    }
}
