import Foundation
import HTTPServer

extension KubeAPIServer {
    /// A watch: chunked stream of `{"type":...,"object":...}` lines. From a resourceVersion older
    /// than the history: HTTP 200 and one ERROR event with a 410 Expired Status (as upstream).
    func serveWatch(_ request: HTTPRequest, type: ResourceType, namespace: String, name: String,
                    writer: any HTTPResponseWriter) throws(StatusError) {
        let selection = try Self.selection(request, type: type, name: name)
        let asTable = Self.wantsTable(request)
        let bookmarks = request.query("allowWatchBookmarks") == "true"
        let support = watchList
        let sendInitialEvents = request.query("sendInitialEvents") == "true" && support != .ignored
        let requestedVersion = request.query("resourceVersion") ?? ""
        let timeout: TimeInterval
        if let text = request.query("timeoutSeconds"), let seconds = Double(text), seconds > 0 {
            timeout = seconds
        } else {
            timeout = Double.random(in: 1800..<3600)  // --min-request-timeout 1800, randomised up to 2x
        }
        if sendInitialEvents && support == .rejected {
            throw StatusError(code: 422, reason: "Invalid",
                            message: "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
                            kind: "ListOptions")
        }
        if sendInitialEvents && !(bookmarks && request.query("resourceVersionMatch") == "NotOlderThan") {
            throw StatusError(code: 422, reason: "Invalid",
                            message: "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled or resourceVersionMatch is set to NotOlderThan and allowWatchBookmarks is set to true",
                            kind: "ListOptions")
        }

        let stream = WatchStream(writer: writer, type: type, asTable: asTable, now: store.now)
        let initial: [StoredObject]
        let watch: StoreWatch
        let startVersion: Int64
        if sendInitialEvents || requestedVersion.isEmpty || requestedVersion == "0" {
            let state = store.listAndWatch(type, namespace: namespace.isEmpty ? nil : namespace)
            initial = state.objects.filter(selection.matches)
            watch = state.watch
            startVersion = state.resourceVersion
        } else {
            guard let version = Int64(requestedVersion) else {
                throw StatusError.badRequest("invalid resource version: \(requestedVersion)")
            }
            guard writer.startStream(status: 200, headers: ResponseWriting.headers()) else { return }
            do throws(StatusError) {
                watch = try store.watch([type], namespace: namespace.isEmpty ? nil : namespace, from: version)
            } catch {
                stream.send(error: error)
                return
            }
            initial = []
            startVersion = version
            stream.started = true
        }
        defer { watch.cancel() }
        if !stream.started {
            guard writer.startStream(status: 200, headers: ResponseWriting.headers()) else { return }
            stream.started = true
        }
        if faults.closeWatchesAtOnce {
            stream.writer.endStream()
            return
        }
        for object in initial where !stream.send(kind: "ADDED", object: object) { return }
        if sendInitialEvents {
            guard stream.sendBookmark(version: startVersion, initialEventsEnd: true) else { return }
        }
        pump(watch: watch, stream: stream, selection: selection, bookmarks: bookmarks, timeout: timeout)
    }

    /// Sends events as they happen. Like kube-apiserver's watch cache (`cacheWatcher.nextBookmarkTime`),
    /// a watch that allows bookmarks gets one every `bookmarkInterval` and one 2 s before its
    /// timeout, so a client can tell a quiet watch from a stalled one.
    private func pump(watch: StoreWatch, stream: WatchStream, selection: Selection, bookmarks: Bool,
                      timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        var lastBookmark = Date()
        var nextBookmark = WatchBookmarkSchedule.next(after: lastBookmark, deadline: deadline, interval: bookmarkInterval)
        var sent = 0
        while !stream.writer.isClosed {
            let now = Date()
            if now >= deadline {
                stream.writer.endStream()
                return
            }
            if faults.stallWatches {
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            let untilBookmark = bookmarks ? nextBookmark.timeIntervalSince(now) : 0.5
            let wait = max(0.0, min(0.5, deadline.timeIntervalSince(now), untilBookmark))
            switch watch.next(timeout: wait) {
            case .events(let events):
                for event in events {
                    guard let (kind, object) = Self.visible(event, selection: selection) else { continue }
                    guard stream.send(kind: kind, object: object) else { return }
                    sent += 1
                    if let dropAfter = faults.dropWatchesAfterEvents, sent >= dropAfter {
                        stream.writer.abortConnection()
                        return
                    }
                }
            case .timedOut:
                break
            case .expired(let status):
                stream.send(error: status)
                stream.writer.endStream()
                return
            case .closed:
                // Interrupted (fault injection / restart) or server stopping: drop the connection.
                stream.writer.abortConnection()
                return
            }
            if bookmarks && Date() >= nextBookmark {
                guard stream.sendBookmark(version: watch.resourceVersion, initialEventsEnd: false) else { return }
                lastBookmark = Date()
                nextBookmark = WatchBookmarkSchedule.next(after: lastBookmark, deadline: deadline, interval: bookmarkInterval)
            }
        }
    }

    /// How a change looks through a selector: leaving the selection is DELETED, entering is ADDED.
    static func visible(_ event: WatchEvent, selection: Selection) -> (String, StoredObject)? {
        if selection.isEmpty { return (event.kind.rawValue, event.object) }
        switch event.kind {
        case .added:
            return selection.matches(event.object) ? ("ADDED", event.object) : nil
        case .deleted:
            return selection.matches(event.previous ?? event.object) ? ("DELETED", event.object) : nil
        case .modified:
            let now = selection.matches(event.object)
            let before = event.previous.map(selection.matches) ?? false
            switch (before, now) {
            case (true, true): return ("MODIFIED", event.object)
            case (false, true): return ("ADDED", event.object)
            case (true, false): return ("DELETED", event.object)
            case (false, false): return nil
            }
        }
    }
}

/// Frames watch events onto a chunked response, one chunk per event (as the API server flushes).
final class WatchStream {
    let writer: any HTTPResponseWriter
    let type: ResourceType
    let asTable: Bool
    let now: @Sendable () -> Date
    var started = false
    private var sentTable = false

    init(writer: any HTTPResponseWriter, type: ResourceType, asTable: Bool, now: @escaping @Sendable () -> Date) {
        self.writer = writer
        self.type = type
        self.asTable = asTable
        self.now = now
    }

    @discardableResult
    func send(kind: String, object: StoredObject) -> Bool {
        var line = Array("{\"type\":\"\(kind)\",\"object\":".utf8)
        if asTable {
            let table = TableRenderer.table([object], type: type, resourceVersion: object.resourceVersion,
                                            continueToken: nil, remainingItemCount: nil, includeColumns: !sentTable, now: now())
            sentTable = true
            JSONSerializer.append(table, to: &line)
        } else {
            line.append(contentsOf: object.bytes)
        }
        line.append(contentsOf: "}\n".utf8)
        return writer.writeChunk(line)
    }

    @discardableResult
    func send(error: StatusError) -> Bool {
        var line = Array("{\"type\":\"ERROR\",\"object\":".utf8)
        line.append(contentsOf: JSONSerializer.serialize(error.json))
        line.append(contentsOf: "}\n".utf8)
        return writer.writeChunk(line)
    }

    /// A BOOKMARK: an empty object of the watched kind carrying only the resourceVersion.
    func sendBookmark(version: Int64, initialEventsEnd: Bool) -> Bool {
        var metadata = "{\"resourceVersion\":\"\(version)\""
        if initialEventsEnd { metadata += ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" }
        metadata += "}"
        let body: String
        if asTable {
            body = "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"\(version)\"},\"columnDefinitions\":null,\"rows\":null}"
        } else if type.storageKey == "pods" {
            body = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":\(metadata),\"spec\":{\"containers\":null},\"status\":{}}"
        } else {
            body = "{\"kind\":\"\(type.kind)\",\"apiVersion\":\"\(type.apiVersion)\",\"metadata\":\(metadata)}"
        }
        return writer.writeChunk(Array("{\"type\":\"BOOKMARK\",\"object\":\(body)}\n".utf8))
    }
}
