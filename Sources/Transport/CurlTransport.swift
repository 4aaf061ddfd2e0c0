import Logging

/// HTTP over libcurl, bridged to Swift concurrency.
///
/// `send` buffers a whole response; `stream` hands over the body as it arrives (watches).
/// Both suspend without blocking a thread, and cancelling the calling task stops the transfer.
public final class CurlTransport: Sendable {
    public let tls: TLSSettings
    private let logger: Logger
    private let loop: CurlMultiLoop

    public init(tls: TLSSettings = TLSSettings(), logger: Logger = Logger(label: "token-warden.transport")) {
        self.tls = tls
        self.logger = logger
        self.loop = .shared
    }

    /// The thread that does the transfers' I/O, as an executor: a task that reads a stream and
    /// does little with each chunk prefers it, so that a chunk resumes it without a thread
    /// hand-over. Work that takes long (a whole initial sync) belongs on the shared pool.
    public var ioExecutor: any TaskExecutor { loop }

    /// Sends a request and returns the whole response, whatever its HTTP status.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        try Task.checkCancellation()
        let box = TransferBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                do {
                    let transfer = try CurlTransfer(request: request, tls: tls, delivery: .buffered(continuation))
                    box.set(transfer, loop: loop)
                    loop.submit(transfer)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            box.cancel(loop: loop)
        }
    }

    /// Starts a request and returns once the response head has arrived; the body follows in the
    /// returned stream. Dropping or cancelling the iteration stops the transfer.
    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        try Task.checkCancellation()
        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let box = TransferBox()
        let loop = self.loop
        let flow = request.flowControlBytes.map(StreamFlow.init(limit:))
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination { box.cancel(loop: loop) }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ResponseHead, any Error>) in
                do {
                    let transfer = try CurlTransfer(
                        request: request, tls: tls, delivery: .stream(head: continuation, body: bodyContinuation, flow: flow))
                    box.set(transfer, loop: loop)
                    loop.submit(transfer)
                } catch {
                    bodyContinuation.finish(throwing: error)
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            box.cancel(loop: loop)
        }
        guard let flow else { return TransportStream(head: head, body: body) }
        return TransportStream(head: head, body: body) { bytes in
            if flow.taken(bytes) { box.resume(loop: loop) }
        }
    }
}
