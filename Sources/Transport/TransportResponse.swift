/// A complete, buffered response.
public struct TransportResponse: Sendable {
    public var head: ResponseHead
    public var body: [UInt8]

    public var status: Int { head.status }

    public init(head: ResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}
