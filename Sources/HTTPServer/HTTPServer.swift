import CTLS
import Foundation
import Logging
import Synchronization

/// A small thread-per-connection HTTP/1.1 server with optional TLS. Handlers run on the
/// connection's own thread and may block (a watch handler waits for events).
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest, any HTTPResponseWriter) -> Void

    private struct State: ~Copyable {
        var listener: Int32 = -1
        var port = 0
        var started = false
        var stopping = false
        var nextConnectionID = 0
        var connections: [Int: Channel] = [:]
        var tlsContext: TLSContextBox?
    }

    private let host: String
    private let requestedPort: Int
    private let tls: TLSIdentity?
    private let clientCertificateAuthorityPEM: String?
    private let maxBodyBytes: Int
    private let screen: (@Sendable (HTTPRequest) -> Bool)?
    private let logger: Logger
    private let handler: Handler
    private let state = Mutex(State())

    /// `clientCertificateAuthorityPEM`: when set (with TLS), client certificates signed by it are
    /// requested, verified, and their common name is passed in `HTTPRequest.clientCertificateCommonName`.
    /// `maxBodyBytes`: a longer request body is answered with 413 and the connection closed.
    /// `screen`: looks at each request's head (with its client certificate and address) before
    /// the body is read; a request it refuses goes to the handler without its body, and the
    /// connection is closed after the answer (an unauthenticated client cannot make the server
    /// read megabytes).
    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: TLSIdentity? = nil,
        clientCertificateAuthorityPEM: String? = nil, maxBodyBytes: Int = 64 << 20,
        screen: (@Sendable (HTTPRequest) -> Bool)? = nil,
        logger: Logger = Logger(label: "http-server"), handler: @escaping Handler
    ) {
        self.screen = screen
        self.host = host
        self.requestedPort = port
        self.tls = tls
        self.clientCertificateAuthorityPEM = clientCertificateAuthorityPEM
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.handler = handler
    }

    deinit {
        stop()
    }

    /// The bound port (after `start()`).
    public var port: Int {
        state.withLock { $0.port }
    }

    /// Binds, listens and starts accepting on a background thread.
    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        let context: TLSContextBox? = try tls.map {
            try TLSContextBox(identity: $0, clientCertificateAuthorityPEM: clientCertificateAuthorityPEM)
        }
        let (listener, boundPort) = try Listener.open(host: host, port: requestedPort)
        state.withLock { state in
            state.listener = listener
            state.port = boundPort
            state.started = true
            state.tlsContext = context
        }
        logger.debug("http server listening", metadata: ["host": "\(host)", "port": "\(boundPort)", "tls": "\(tls != nil)"])
        let thread = Thread { [self] in acceptLoop(listener: listener) }
        thread.name = "http-accept"
        thread.start()
    }

    /// Serves new connections with another certificate, key and client CA (files rotated on disk);
    /// open connections keep the ones they started with. Only for a server started with TLS.
    public func replaceTLS(_ identity: TLSIdentity, clientCertificateAuthorityPEM: String?) throws {
        let context = try TLSContextBox(identity: identity, clientCertificateAuthorityPEM: clientCertificateAuthorityPEM)
        state.withLock { $0.tlsContext = context }
    }

    /// Closes the listener and every open connection. Idempotent.
    public func stop() {
        let (listener, channels) = state.withLock { state -> (Int32, [Channel]) in
            guard state.started, !state.stopping else { return (-1, []) }
            state.stopping = true
            let listener = state.listener
            state.listener = -1
            return (listener, Array(state.connections.values))
        }
        guard listener >= 0 else { return }
        // Only shut the listener down: the accept thread closes it. Closing it here would let its
        // number be reused (by another server's socket) while that thread still calls accept on it.
        shutdown(listener, Int32(SHUT_RDWR))
        for channel in channels { channel.interrupt() }
        logger.debug("http server stopped", metadata: ["connections": "\(channels.count)"])
    }

    /// Closes every open connection but keeps listening (fault injection: "server restarted").
    public func dropAllConnections() {
        let channels = state.withLock { Array($0.connections.values) }
        for channel in channels { channel.interrupt() }
    }

    /// The number of open connections.
    public var connectionCount: Int {
        state.withLock { $0.connections.count }
    }

    private func acceptLoop(listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    logger.warning("accept: too many open files")
                    usleep(50_000)
                    continue
                }
                _ = systemClose(listener)  // shut down by stop()
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let channel = Channel(fd: fd)
            let (id, tlsContext) = state.withLock { state -> (Int?, TLSContextBox?) in
                guard !state.stopping else { return (nil, nil) }
                state.nextConnectionID += 1
                state.connections[state.nextConnectionID] = channel
                return (state.nextConnectionID, state.tlsContext)
            }
            guard let id else {
                channel.close(graceful: false)
                _ = systemClose(listener)
                return
            }
            let thread = Thread { [self] in
                serve(channel: channel, tlsContext: tlsContext)
                _ = state.withLock { $0.connections.removeValue(forKey: id) }
            }
            thread.name = "http-connection"
            thread.stackSize = 4 << 20  // JSON nesting up to 512 levels is parsed recursively on this thread
            thread.start()
        }
    }

    private func serve(channel: Channel, tlsContext: TLSContextBox?) {
        if let tlsContext {
            guard channel.startTLS(context: tlsContext.context) else {
                logger.debug("tls handshake failed")
                channel.close(graceful: false)
                return
            }
        }
        let verifiesClients = tlsContext?.verifiesClients == true
        let commonName = verifiesClients ? channel.peerCommonName : nil
        let certificateRejected = verifiesClients && commonName == nil && channel.peerPresentedCertificate
        let remoteAddress = channel.peerAddress
        var reader = RequestReader(channel: channel, maxBodyBytes: maxBodyBytes)
        let identify: (inout HTTPRequest) -> Void = { request in
            request.clientCertificateCommonName = commonName
            request.clientCertificateRejected = certificateRejected
            request.remoteAddress = remoteAddress
        }
        let screen = self.screen.map { screen in
            { (head: HTTPRequest) -> Bool in
                var request = head
                identify(&request)
                return screen(request)
            }
        }
        while !channel.isInterrupted {
            let outcome = reader.next(sendContinue: { channel.writeAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }, screen: screen)
            switch outcome {
            case .screened(var request):
                identify(&request)
                let writer = ConnectionWriter(channel: channel, request: request)
                handler(request, writer)
                if writer.state == .idle {
                    writer.respond(status: 403, headers: [("Content-Type", "text/plain")], body: Array("refused\n".utf8))
                }
                channel.closeAfterUnreadBody()  // the body was not read: this connection cannot go on
                return
            case .endOfStream:
                channel.close(graceful: true)
                return
            case .reject(let status, let message):
                let writer = ConnectionWriter(channel: channel, request: HTTPRequest(method: "GET", target: "/"))
                writer.respond(status: status, headers: [("Content-Type", "text/plain"), ("Connection", "close")],
                               body: Array((message + "\n").utf8))
                channel.closeAfterUnreadBody()
                return
            case .request(var request):
                identify(&request)
                let writer = ConnectionWriter(channel: channel, request: request)
                handler(request, writer)
                switch writer.state {
                case .idle:
                    writer.respond(status: 500, headers: [("Content-Type", "text/plain")], body: Array("no response\n".utf8))
                case .streaming:
                    writer.endStream()
                case .responded, .streamEnded, .aborted:
                    break
                }
                if writer.mustClose {
                    channel.close(graceful: writer.state != .aborted)
                    return
                }
            }
        }
        channel.close(graceful: false)
    }
}

/// The OpenSSL server context, shared read-only by all connection threads.
final class TLSContextBox: @unchecked Sendable {
    let context: UnsafeMutableRawPointer
    let verifiesClients: Bool

    init(identity: TLSIdentity, clientCertificateAuthorityPEM: String?) throws {
        var error = [CChar](repeating: 0, count: 512)
        guard let context = ctls_server_context_new(
            identity.certificatePEM, identity.privateKeyPEM, clientCertificateAuthorityPEM, &error, error.count)
        else {
            throw HTTPServerError.tls(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.context = context
        self.verifiesClients = clientCertificateAuthorityPEM != nil
    }

    deinit {
        ctls_server_context_free(context)
    }
}
