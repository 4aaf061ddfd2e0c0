import Foundation
import HTTPServer
import Logging
import Observe

/// The audit webhook's own listener (`--audit-webhook-address`, default `:8443`): TLS only, and
/// every request authenticated (client certificate from the client CA, or the bearer token)
/// before its body is looked at. Rejected requests get a 401 `Status`, are counted by reason,
/// logged at most once a minute per source address, and record nothing. The certificate, key and
/// client CA are read again when their files change (new connections use the new ones).
public final class AuditWebhookServer: Sendable {
    public static let path = "/audit"

    public let settings: AuditWebhookSettings
    private let server: HTTPServer
    private let certificateFile: WatchedFile
    private let privateKeyFile: WatchedFile
    private let clientCAFile: WatchedFile?
    private let logger: Logger

    public init(
        settings: AuditWebhookSettings, receiver: AuditWebhookReceiver, metrics: WardenMetrics?, logger: Logger,
        limiter: RejectionLogLimiter = RejectionLogLimiter(),
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        try settings.validate()
        let (host, port) = try ListenAddress.parse(settings.address)
        certificateFile = try WatchedFile(path: settings.certificateFile ?? "")
        privateKeyFile = try WatchedFile(path: settings.privateKeyFile ?? "")
        clientCAFile = try settings.clientCAFile.map { path throws(WatchedFileError) in try WatchedFile(path: path) }
        let tokenFile = try settings.tokenFile.map { path throws(WatchedFileError) in try WatchedFile(path: path) }
        self.settings = settings
        self.logger = logger
        let identity = Self.identity(certificate: try certificateFile.current().contents, key: try privateKeyFile.current().contents)
        let clientCA = try clientCAFile.map { file throws(WatchedFileError) in String(decoding: try file.current().contents, as: UTF8.self) }
        let authenticator = AuditWebhookAuthenticator(verifiesCertificates: clientCA != nil, tokenFile: tokenFile)
        server = HTTPServer(
            host: host, port: port, tls: identity, clientCertificateAuthorityPEM: clientCA, maxBodyBytes: settings.maxBodyBytes,
            // Credentials are checked on the head: an unauthenticated body is never read.
            screen: { head in if case .authenticated = authenticator.authenticate(head) { return true } else { return false } },
            logger: logger
        ) { request, writer in
            let response = Self.answer(request, authenticator: authenticator, receiver: receiver, metrics: metrics,
                                       limiter: limiter, now: now, logger: logger)
            writer.respond(status: response.status, headers: response.headers, body: response.body)
        }
    }

    /// Binds and starts serving; throws when the address cannot be bound or the TLS files are invalid.
    public func start() throws { try server.start() }

    public var port: Int { server.port }

    public func stop() { server.stop() }

    /// Reads the certificate, key and client CA again if any file changed; a set that does not
    /// load (a key not yet matching its certificate, mid-rotation) keeps the old one and is logged.
    /// Returns true when new connections now use new files.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        do {
            let certificate = try certificateFile.current()
            let key = try privateKeyFile.current()
            let clientCA = try clientCAFile?.current()
            guard certificate.changed || key.changed || clientCA?.changed == true else { return false }
            try server.replaceTLS(
                Self.identity(certificate: certificate.contents, key: key.contents),
                clientCertificateAuthorityPEM: clientCA.map { String(decoding: $0.contents, as: UTF8.self) })
            logger.notice("audit webhook TLS files reloaded")
            return true
        } catch {
            logger.warning("audit webhook TLS files not reloaded; the previous ones stay in use", metadata: ["problem": "\(error)"])
            return false
        }
    }

    static func identity(certificate: [UInt8], key: [UInt8]) -> TLSIdentity {
        TLSIdentity(certificatePEM: String(decoding: certificate, as: UTF8.self), privateKeyPEM: String(decoding: key, as: UTF8.self))
    }

    static func answer(
        _ request: HTTPRequest, authenticator: AuditWebhookAuthenticator, receiver: AuditWebhookReceiver, metrics: WardenMetrics?,
        limiter: RejectionLogLimiter, now: @Sendable () -> Double, logger: Logger
    ) -> EndpointResponse {
        let source = request.remoteAddress ?? "unknown"
        switch authenticator.authenticate(request) {
        case .rejected(let reason):
            metrics?.recordWebhookRequest(reason)
            if limiter.shouldLog(source: source, now: now()) {
                logger.warning("audit webhook request rejected: not authenticated (logged once a minute per source)", metadata: [
                    "source": "\(source)", "reason": "\(reason.rawValue)", "bytes": "\(request.body.count)",
                ])
            }
            return Self.status(401, reason: "Unauthorized", message: "Unauthorized")
        case .authenticated(let via):
            guard request.path == Self.path else {
                metrics?.recordWebhookRequest(.badRequest)
                return Self.status(404, reason: "NotFound", message: "the audit webhook is served at \(Self.path)")
            }
            guard request.method == "POST" else {
                metrics?.recordWebhookRequest(.badRequest)
                var response = Self.status(405, reason: "MethodNotAllowed", message: "the audit webhook takes POST")
                response.headers.append(("Allow", "POST"))
                return response
            }
            let response = receiver.receive(body: request.body, contentType: request.header("Content-Type"))
            metrics?.recordWebhookRequest(response.status == 200 ? .accepted : .badRequest)
            if response.status != 200 {
                logger.warning("audit webhook batch refused", metadata: ["source": "\(source)", "sender": "\(via)", "status": "\(response.status)"])
            }
            return response
        }
    }

    /// A `Status` body as the API server writes one.
    static func status(_ code: Int, reason: String, message: String) -> EndpointResponse {
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(escaped)","reason":"\#(reason)","code":\#(code)}"#
        return EndpointResponse(status: code, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
