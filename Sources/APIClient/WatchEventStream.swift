import KubeModel
import Transport

/// The events of one watch. From the API server, each line is decoded when the consumer asks for
/// the next event, in the consumer's own task: a received chunk goes from libcurl's thread to
/// the consumer (and costs no hand-over at all when the consumer runs there, on
/// `KubeClient.ioExecutor`), not through a decoding task of its own first — a second thread
/// wake-up per event, ~3 % of the controller's CPU under 300 watch events a second.
/// Flow control counts a chunk as consumed once the consumer has come back for the event after
/// its last line. The sequence ends when the server closes the watch or after an `ERROR` event,
/// and throws when the connection breaks, a line is not a valid event, or the reader's task is
/// cancelled (`CancellationError`: not mistaken for the server ending the watch). The transfer
/// stops when the sequence and its iterator are let go of before that (the body stream goes with
/// them), or when the reader's task is cancelled. Single-pass, like the stream it reads.
public struct WatchEventStream<Object: KubeObject>: AsyncSequence {
    public typealias Element = WatchEvent<Object>

    private let body: TransportStream?
    private let decode: (@Sendable ([UInt8]) throws -> WatchEvent<Object>)?
    private let events: AsyncThrowingStream<WatchEvent<Object>, any Error>?

    init(body: TransportStream, decode: @escaping @Sendable ([UInt8]) throws -> WatchEvent<Object>) {
        self.body = body
        self.decode = decode
        events = nil
    }

    /// Events made elsewhere (a scripted watch in tests), passed through as they are.
    public init(_ events: AsyncThrowingStream<WatchEvent<Object>, any Error>) {
        self.events = events
        body = nil
        decode = nil
    }

    public func makeAsyncIterator() -> AsyncIterator {
        if let body, let decode {
            AsyncIterator(body: body, chunks: body.body.makeAsyncIterator(), decode: decode)
        } else {
            AsyncIterator(events: events?.makeAsyncIterator())
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private var events: AsyncThrowingStream<WatchEvent<Object>, any Error>.AsyncIterator?
        private var body: TransportStream?
        private var chunks: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator?
        private var decode: (@Sendable ([UInt8]) throws -> WatchEvent<Object>)?
        private var splitter = LineSplitter()
        /// The complete lines of the last chunk, and how many of them were handed out.
        private var lines: [[UInt8]] = []
        private var handedOut = 0
        /// The last chunk's size, reported consumed once its lines are all handed out and the
        /// consumer asks again.
        private var unreported = 0

        init(events: AsyncThrowingStream<WatchEvent<Object>, any Error>.AsyncIterator?) { self.events = events }

        init(body: TransportStream, chunks: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator,
             decode: @escaping @Sendable ([UInt8]) throws -> WatchEvent<Object>) {
            self.body = body
            self.chunks = chunks
            self.decode = decode
        }

        public mutating func next() async throws -> WatchEvent<Object>? {
            if events != nil { return try await events?.next() }
            guard let body, let decode else { return nil }  // ended
            do {
                while handedOut == lines.count {
                    if unreported > 0 {
                        body.consumed(unreported)
                        unreported = 0
                    }
                    guard let chunk = try await chunks?.next() else {
                        // A cancelled reader's body ends without an error of its own.
                        if Task.isCancelled { throw CancellationError() }
                        let last = splitter.finish()
                        end()
                        return try last.map(decode)
                    }
                    lines = try splitter.feed(chunk)
                    handedOut = 0
                    unreported = chunk.count
                }
                let event = try decode(lines[handedOut])
                handedOut += 1
                if case .error = event { end() }
                return event
            } catch let error as TransportError {
                end()
                // The reader's cancellation may reach the transfer first and end the body with
                // "request cancelled": still the reader's cancellation, not a failed watch.
                if Task.isCancelled { throw CancellationError() }
                throw APIError.transport(error)
            } catch {
                end()
                throw error
            }
        }

        /// Nothing more is read: the body's iterator is let go of (the transfer stops once the
        /// sequence holding the body goes too).
        private mutating func end() {
            body = nil
            chunks = nil
            decode = nil
            lines = []
            handedOut = 0
        }
    }
}
