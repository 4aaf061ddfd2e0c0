import Transport

/// What one HTTP exchange gives back — a whole response, or a stream still arriving — as the
/// client's retry loop needs it: the head, and for a non-2xx answer its body (the `Status`).
protocol ExchangeAnswer: Sendable {
    var head: ResponseHead { get }
    /// The body of a non-2xx answer, read to its end.
    func errorBody() async throws -> [UInt8]
}

extension TransportResponse: ExchangeAnswer {
    func errorBody() -> [UInt8] { body }
}

extension TransportStream: ExchangeAnswer {
    /// The stream read to its end (keeping the first MiB): flow control would otherwise pause the
    /// transfer and it would never end.
    func errorBody() async throws -> [UInt8] {
        var body: [UInt8] = []
        for try await chunk in self.body {
            if body.count < 1 << 20 { body.append(contentsOf: chunk) }
            consumed(chunk.count)
        }
        return body
    }
}
