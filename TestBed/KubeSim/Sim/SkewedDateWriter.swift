import Foundation
import HTTPServer

/// Sends a `Date` header this many seconds off the host's clock (`FaultInjector.clockSkewSeconds`).
final class SkewedDateWriter: HTTPResponseWriter {
    private let inner: any HTTPResponseWriter
    private let skewSeconds: Int

    init(_ inner: any HTTPResponseWriter, skewSeconds: Int) {
        self.inner = inner
        self.skewSeconds = skewSeconds
    }

    private func dated(_ headers: [(String, String)]) -> [(String, String)] {
        headers + [("Date", HTTPDate.format(secondsSince1970: Int(Date().timeIntervalSince1970) + skewSeconds))]
    }

    func respond(status: Int, headers: [(String, String)], body: [UInt8]) {
        inner.respond(status: status, headers: dated(headers), body: body)
    }

    func startStream(status: Int, headers: [(String, String)]) -> Bool {
        inner.startStream(status: status, headers: dated(headers))
    }

    func writeChunk(_ bytes: [UInt8]) -> Bool { inner.writeChunk(bytes) }
    func endStream() { inner.endStream() }
    func abortConnection() { inner.abortConnection() }
    var isClosed: Bool { inner.isClosed }
}
