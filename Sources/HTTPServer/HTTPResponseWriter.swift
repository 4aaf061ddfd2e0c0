/// Writes the response for one request on the connection's thread.
public protocol HTTPResponseWriter: AnyObject {
    /// A complete response with Content-Length. Adds Date and Content-Length itself.
    func respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// Starts a chunked (Transfer-Encoding: chunked) response; returns false if the peer is gone.
    @discardableResult func startStream(status: Int, headers: [(String, String)]) -> Bool
    /// Writes and flushes one chunk; false when the peer is gone or the server is stopping.
    @discardableResult func writeChunk(_ bytes: [UInt8]) -> Bool
    /// Terminating zero-length chunk; the connection may then be reused (keep-alive).
    func endStream()
    /// Closes the TCP connection at once, without a terminating chunk (fault injection:
    /// "server dropped the connection mid-stream").
    func abortConnection()
    /// True once the server is stopping or the peer closed; long handlers poll it.
    var isClosed: Bool { get }
}
