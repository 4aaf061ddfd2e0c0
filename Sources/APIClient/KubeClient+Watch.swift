import KubeModel
import Transport

extension KubeClient {
    /// Opens a watch and returns its events, decoded as they are read. The stream ends when the
    /// server closes the watch (its `timeoutSeconds`), and throws when the connection breaks or a
    /// line is not a valid event. An `ERROR` event (410 Expired for a too-old resourceVersion —
    /// sent as HTTP 200 plus one ERROR line) is delivered as `.error` and ends the stream.
    public func watch<T: KubeObject>(
        _ type: T.Type, namespace: String? = nil, resourceVersion: String?, timeoutSeconds: Int,
        labelSelector: String? = nil, fieldSelector: String? = nil, allowBookmarks: Bool = true,
        sendInitialEvents: Bool = false
    ) async throws -> WatchEventStream<T> {
        let path = T.resource.collectionPath(namespace: namespace)
        var query: [(String, String)] = [("watch", "1"), ("timeoutSeconds", String(timeoutSeconds))]
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if sendInitialEvents {
            query.append(("sendInitialEvents", "true"))
            query.append(("resourceVersionMatch", "NotOlderThan"))
        }
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        // No total timeout: the server ends the watch. Silence well past that — or, with bookmarks,
        // past two bookmark periods — is a stalled stream.
        let stall = allowBookmarks ? min(timeoutSeconds + 30, watchStallTimeoutSeconds) : timeoutSeconds + 30
        // At most 4 MiB received and not yet decoded: a streaming sync of the whole cluster arrives
        // faster than a busy core decodes it, and would otherwise wait in memory.
        let call = Call(
            verb: "watch", resource: T.resource.plural, method: "GET", path: path, query: query,
            timeoutSeconds: nil, stallTimeoutSeconds: stall, flowControlBytes: 4 << 20)
        let stream = try await openStream(call)
        let decoder = self.decoder
        return WatchEventStream(body: stream) { line in try Self.decodeEvent(T.self, line, decoder: decoder, path: path) }
    }

    static func decodeEvent<T: KubeObject>(_ type: T.Type, _ line: [UInt8], decoder: any ObjectDecoder, path: String) throws -> WatchEvent<T> {
        do {
            return try decoder.decode(WatchLine<T>.self, from: line).event
        } catch {
            throw APIError.decoding(what: "watch event", path: path, detail: "\(error)")
        }
    }

    /// Starts a streaming request, through the same retry loop as `perform`; a non-2xx answer
    /// is read whole and thrown as `APIError.status`.
    func openStream(_ call: Call) async throws -> TransportStream {
        try await exchange(call) { try await transport.stream($0) }
    }
}
