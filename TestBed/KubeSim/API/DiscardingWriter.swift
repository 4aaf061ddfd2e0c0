import HTTPServer

/// A response nobody receives: a request served for its effect alone (fault injection: the
/// write is committed, the answer lost).
final class DiscardingWriter: HTTPResponseWriter {
    func respond(status: Int, headers: [(String, String)], body: [UInt8]) {}
    func startStream(status: Int, headers: [(String, String)]) -> Bool { false }
    func writeChunk(_ bytes: [UInt8]) -> Bool { false }
    func endStream() {}
    func abortConnection() {}
    var isClosed: Bool { true }
}
