import Foundation
import KubeModel
import Logging
import Synchronization
import Transport

/// A Kubernetes API client over libcurl. Pods are decoded by the single-pass `FastObjectDecoder`
/// (only the fields the controller caches); everything else by Foundation.
///
/// Every call re-reads the token through the `TokenSource` (cheap when unchanged), retries once
/// with a fresh token after a 401, and honours `Retry-After` on 429/5xx like client-go (up to
/// `maximumRetries`). Non-2xx answers become `APIError.status` carrying the server's `Status`.
public final class KubeClient: Sendable {
    public let config: ClusterConfig
    public let decoder: any ObjectDecoder
    let transport: CurlTransport
    let logger: Logger
    let observer: any APIClientObserver
    let userAgent: String
    public let maximumRetries: Int
    /// Longest `Retry-After` honoured; longer asks are capped (a server asking for an hour is not waited on blindly).
    public let maximumRetryAfterSeconds: Int
    /// Silence after which a watch that asked for bookmarks counts as stalled and is dropped (the
    /// caller then re-establishes it). kube-apiserver's watch cache sends such watches a BOOKMARK
    /// about every minute (`defaultBookmarkFrequency` in `apiserver/pkg/storage/cacher`), so the
    /// default of 150 s is two bookmark periods plus 30 s. Watches without bookmarks are dropped
    /// only after their own `timeoutSeconds` + 30 s. libcurl measures the speed over a window of
    /// about 5 s, so a stall is noticed up to 5 s after this.
    public let watchStallTimeoutSeconds: Int
    private let serverClockOffset: ServerClockOffset
    /// Asked before every write (nil: every write goes out); see `gated(by:)`.
    let writeGate: WriteGate?

    public convenience init(
        config: ClusterConfig, logger: Logger = Logger(label: "token-warden.api"),
        decoder: any ObjectDecoder = FastObjectDecoder(),
        observer: any APIClientObserver = NoAPIClientObserver(),
        userAgent: String = "token-warden", maximumRetries: Int = 5, maximumRetryAfterSeconds: Int = 60
    ) {
        self.init(config: config, logger: logger, decoder: decoder, observer: observer, userAgent: userAgent,
                  maximumRetries: maximumRetries, maximumRetryAfterSeconds: maximumRetryAfterSeconds,
                  watchStallTimeoutSeconds: 150)
    }

    public init(
        config: ClusterConfig, logger: Logger = Logger(label: "token-warden.api"),
        decoder: any ObjectDecoder = FastObjectDecoder(),
        observer: any APIClientObserver = NoAPIClientObserver(),
        userAgent: String = "token-warden", maximumRetries: Int = 5, maximumRetryAfterSeconds: Int = 60,
        watchStallTimeoutSeconds: Int
    ) {
        self.config = config
        self.logger = logger
        self.decoder = decoder
        self.observer = observer
        self.userAgent = userAgent
        self.maximumRetries = maximumRetries
        self.maximumRetryAfterSeconds = maximumRetryAfterSeconds
        self.watchStallTimeoutSeconds = max(1, watchStallTimeoutSeconds)
        self.transport = CurlTransport(tls: config.tls, logger: logger)
        serverClockOffset = ServerClockOffset()
        writeGate = nil
    }

    private init(_ base: KubeClient, writeGate: WriteGate) {
        config = base.config
        logger = base.logger
        decoder = base.decoder
        observer = base.observer
        userAgent = base.userAgent
        maximumRetries = base.maximumRetries
        maximumRetryAfterSeconds = base.maximumRetryAfterSeconds
        watchStallTimeoutSeconds = base.watchStallTimeoutSeconds
        transport = base.transport
        serverClockOffset = base.serverClockOffset
        self.writeGate = writeGate
    }

    /// This client (same connection pool, token and clock) with every write asked of `gate`
    /// first: the leader's writes go through one, so none leaves once its lease is in doubt.
    public func gated(by gate: WriteGate) -> KubeClient {
        KubeClient(self, writeGate: gate)
    }

    /// Server time minus local time, from the latest response's `Date` header (seconds).
    /// Deadlines are computed on the server's clock so a skewed node cannot make the controller late.
    public var serverClockOffsetSeconds: Int64 { serverClockOffset.value }

    /// The thread a watch's events arrive on, for their reader to run on.
    public var ioExecutor: any TaskExecutor { transport.ioExecutor }

    /// One API request. `verb` is the Kubernetes verb (get, list, watch, create, patch, …) for
    /// metrics and messages; `resource` names what it touches.
    struct Call: Sendable {
        var verb: String
        var resource: String
        var method: String
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]? = nil
        var contentType: String? = nil
        var timeoutSeconds: Double? = 60
        var stallTimeoutSeconds: Int? = nil
        var receiveBuffer: ReceiveBuffer? = nil
        /// A stream read as it is processed: see `TransportRequest.flowControlBytes`.
        var flowControlBytes: Int? = nil

        var url: (String) -> String {
            { server in query.isEmpty ? server + path : server + path + "?" + QueryEncoding.encode(query) }
        }
    }

    func request(for call: Call) throws -> TransportRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", userAgent)]
        if let token = try config.token?.token() { headers.append(("Authorization", "Bearer \(token)")) }
        if let contentType = call.contentType { headers.append(("Content-Type", contentType)) }
        return TransportRequest(
            method: call.method, url: call.url(config.server), headers: headers, body: call.body,
            timeoutSeconds: call.timeoutSeconds, stallTimeoutSeconds: call.stallTimeoutSeconds, receiveBuffer: call.receiveBuffer,
            flowControlBytes: call.flowControlBytes)
    }

    /// Sends `call` and returns the 2xx response, applying the token and retry rules.
    func perform(_ call: Call) async throws -> TransportResponse {
        try await exchange(call) { try await transport.send($0) }
    }

    /// The one retry loop of requests and streams: `send` is tried until it gives a 2xx answer.
    /// A 401 re-reads the token file and retries once; a 429 or 5xx with `Retry-After` waits and
    /// retries (up to `maximumRetries`); any other answer is thrown as `APIError.status` with the
    /// server's `Status`, and a failed exchange as `APIError.transport`.
    func exchange<Answer: ExchangeAnswer>(
        _ call: Call, send: (TransportRequest) async throws -> Answer
    ) async throws -> Answer {
        var refreshedToken = false
        var attempt = 0
        while true {
            if let writeGate, call.method != "GET", !writeGate.admits() {
                throw WriteFenced(verb: call.verb, path: call.path, refusal: writeGate.refusal)
            }
            let started = ContinuousClock.now
            let answer: Answer
            do {
                answer = try await send(try request(for: call))
            } catch let error as TransportError {
                observer.requestCompleted(verb: call.verb, resource: call.resource, code: 0, seconds: seconds(since: started))
                throw APIError.transport(error)
            }
            let head = answer.head
            observer.requestCompleted(verb: call.verb, resource: call.resource, code: head.status, seconds: seconds(since: started))
            noteServerDate(head)
            if (200..<300).contains(head.status) { return answer }

            let body: [UInt8]
            do {
                body = try await answer.errorBody()
            } catch let error as TransportError {
                throw APIError.transport(error)
            }
            if head.status == 401, !refreshedToken, let token = config.token, token.path != nil {
                refreshedToken = true
                token.invalidate()
                logger.info("401 from the API server; re-reading the token file and retrying once",
                            metadata: ["verb": "\(call.verb)", "resource": "\(call.resource)"])
                continue
            }
            if let delay = retryDelay(head, status: head.status), attempt < maximumRetries {
                attempt += 1
                logger.notice("server asked to retry later", metadata: [
                    "verb": "\(call.verb)", "resource": "\(call.resource)", "code": "\(head.status)",
                    "retryAfterSeconds": "\(delay)", "attempt": "\(attempt)",
                ])
                try await Task.sleep(for: .seconds(delay))
                continue
            }
            throw statusError(head.status, head: head, body: body, call: call)
        }
    }

    /// client-go retries 429 and 5xx only when the server sent `Retry-After`.
    func retryDelay(_ head: ResponseHead, status: Int) -> Int? {
        guard status == 429 || status >= 500, let value = head.header("Retry-After"), let seconds = Int(value), seconds >= 0 else { return nil }
        return min(seconds, maximumRetryAfterSeconds)
    }

    func statusError(_ code: Int, head: ResponseHead, body: [UInt8], call: Call) -> APIError {
        let status: APIStatus
        do {
            let decoded = try decoder.decode(APIStatus.self, from: body)
            status = decoded.kind == "Status" || decoded.reason != nil ? decoded : Self.synthesized(code, body)
        } catch {
            status = Self.synthesized(code, body)  // not JSON (a proxy's HTML page): keep its first bytes
        }
        let retryAfter = head.header("Retry-After").flatMap(Int.init) ?? status.details?.retryAfterSeconds
        return .status(code: code, status: status, retryAfterSeconds: retryAfter, verb: call.verb, path: call.path)
    }

    private static func synthesized(_ code: Int, _ body: [UInt8]) -> APIStatus {
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return APIStatus(message: text.isEmpty ? "HTTP \(code)" : text, reason: nil, code: code)
    }

    func noteServerDate(_ head: ResponseHead) {
        guard let value = head.header("Date"), let server = HTTPDate.parse(value) else { return }
        let local = Int64(Date().timeIntervalSince1970)
        serverClockOffset.set(server - local)
    }

    func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], what: String, path: String) throws -> T {
        do {
            return try decoder.decode(type, from: body)
        } catch {
            throw APIError.decoding(what: what, path: path, detail: "\(error)")
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
