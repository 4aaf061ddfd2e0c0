import CTLS
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One accepted socket, plain or TLS. Reads and writes happen on the connection's own thread;
/// `interrupt()` may be called from any thread (server stop) and makes blocking calls return.
final class Channel: @unchecked Sendable {
    let fd: Int32
    /// The OpenSSL connection; only touched on the connection's thread.
    private var tls: UnsafeMutableRawPointer?
    private let closed = Mutex(false)

    init(fd: Int32) {
        self.fd = fd
    }

    /// Runs the TLS handshake; false when it fails.
    func startTLS(context: UnsafeMutableRawPointer) -> Bool {
        var error = [CChar](repeating: 0, count: 256)
        guard let connection = ctls_accept(context, fd, &error, error.count) else { return false }
        tls = connection
        return true
    }

    var peerCommonName: String? {
        guard let tls else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        guard ctls_peer_common_name(tls, &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A certificate was presented, verified or not.
    var peerPresentedCertificate: Bool {
        guard let tls else { return false }
        return ctls_peer_presented_certificate(tls) != 0
    }

    /// The peer's IP address (IPv6 in brackets), nil when the socket has none.
    var peerAddress: String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let found = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard found == 0 else { return nil }
        let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int32(storage.ss_family) == AF_INET6 ? "[\(text)]" : text
    }

    /// >0 bytes read, 0 at end of stream, -1 on error.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if let tls {
            return Int(ctls_read(tls, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max)))))
        }
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    func writeAll(_ bytes: [UInt8]) -> Bool {
        if isInterrupted { return false }
        return bytes.withUnsafeBytes { raw -> Bool in
            guard var base = raw.baseAddress else { return true }
            if let tls {
                return ctls_write_all(tls, base, Int32(raw.count)) == 0
            }
            var remaining = raw.count
            while remaining > 0 {
                let n = send(fd, base, remaining, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                remaining -= n
                base += n
            }
            return true
        }
    }

    /// True when the peer hung up (FIN, reset) or the server interrupted the connection.
    var peerGone: Bool {
        if isInterrupted { return true }
        return ctls_socket_peer_gone(fd) != 0
    }

    var isInterrupted: Bool { closed.withLock { $0 } }

    /// Unblocks any read or write in progress; the owning thread then closes.
    func interrupt() {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            isClosed = true
            shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    /// Closes after an answer sent without reading the request's body (413, a refusal on the head),
    /// as web servers' lingering close does: the TLS close_notify and the end of the stream go out
    /// first, so the peer reads the answer, sees the connection end and does not send on it again;
    /// then what it is still sending is read and dropped (up to 2 s or 8 MiB) before the socket is
    /// closed. Closed at once with unread bytes, the socket sends a reset, which can discard the
    /// answer before the peer has read it (the client saw "broken pipe" instead of the 413).
    /// Owning thread only.
    func closeAfterUnreadBody() {
        if let tls {
            ctls_close(tls, isInterrupted ? 0 : 1)
            self.tls = nil
        }
        let interrupted = closed.withLock { isClosed in
            if !isClosed { shutdown(fd, Int32(SHUT_WR)) }
            return isClosed
        }
        if !interrupted {
            var wait = timeval(tv_sec: 0, tv_usec: 250_000)  // each read: a silent peer ends the drain
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            var scratch = [UInt8](repeating: 0, count: 64 << 10)
            var drained = 0
            let deadline = ContinuousClock.now + .seconds(2)
            while drained < 8 << 20, ContinuousClock.now < deadline, !isInterrupted {
                let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                drained += n
            }
        }
        close(graceful: false)
    }

    /// Closes the connection; `graceful` sends a TLS close_notify first. Owning thread only.
    func close(graceful: Bool) {
        if let tls {
            ctls_close(tls, graceful && !isInterrupted ? 1 : 0)
            self.tls = nil
        }
        closed.withLock { isClosed in
            if !isClosed { shutdown(fd, Int32(SHUT_RDWR)) }
            isClosed = true
            _ = systemClose(fd)
        }
    }
}

#if canImport(Glibc)
let systemClose = Glibc.close
#elseif canImport(Darwin)
let systemClose = Darwin.close
#endif
