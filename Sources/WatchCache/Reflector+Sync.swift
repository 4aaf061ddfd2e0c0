import APIClient
import KubeModel
import Logging

/// The reflector's sync: the whole state into the store in one step, streamed where the server
/// supports it (client-go's watch-list), else by a paged LIST.
extension Reflector {
    enum StreamOutcome {
        /// The end bookmark arrived and the store was swapped; watch from this resourceVersion.
        case synced(resourceVersion: String)
        /// The server refused the parameters or ignored them: list instead.
        case unsupported(reason: String)
        /// 410 during the initial stream: sync again.
        case gone
        case failed(any Error)
    }

    /// Fills the store; returns the resourceVersion to watch from, or nil when it has to be tried
    /// again (after the backoff, already waited, for a failure).
    func sync(backoff: inout Backoff, log: Logger) async -> String? {
        let resource = Object.resource.description
        if options.initialSync == .stream, !streamingSupport.isUnsupported(resource) {
            switch await streamInitialState(log: log) {
            case .synced(let rv):
                return rv
            case .unsupported(let reason):
                // Once per resource: every later sync of it lists without asking again.
                if streamingSupport.markUnsupported(resource, reason: reason) {
                    log.notice("the server does not support a streaming initial sync; listing in pages",
                               metadata: ["reason": "\(reason)"])
                }
            case .gone:
                observer.watchRestarted(resource: resource, reason: "expired")
                log.info("resourceVersion too old during the initial stream; syncing again")
                return nil
            case .failed(let error):
                await wait(&backoff, after: "streaming sync failed", error: error, log: log)
                return nil
            }
        }
        do {
            let (items, rv) = try await client.listAll(
                Object.self, namespace: options.namespace, labelSelector: options.labelSelector,
                fieldSelector: options.fieldSelector, pageSize: options.pageSize, transform: transform)
            store.replace(items, resourceVersion: rv, partition: options.partition)
            observer.relisted(resource: resource, objects: items.count)
            log.debug("listed", metadata: ["objects": "\(items.count)", "resourceVersion": "\(rv)"])
            return rv
        } catch {
            await wait(&backoff, after: "list failed", error: error, log: log)
            return nil
        }
    }

    private func wait(_ backoff: inout Backoff, after what: String, error: any Error, log: Logger) async {
        if Task.isCancelled { return }
        let wait = backoff.next()
        log.warning("\(what); retrying", metadata: ["error": "\(error)", "retryIn": "\(wait)"])
        try? await Task.sleep(for: wait)  // cancellation ends the run loop at its top
    }

    /// `watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`
    /// without a resourceVersion (a consistent read, as client-go after a 410): entries are made
    /// event by event and swapped in at the `k8s.io/initial-events-end` bookmark. The stream is
    /// then closed and a watch from the bookmark's resourceVersion takes over, so timeouts,
    /// bookmarks, 410 and backoff have one path.
    ///
    /// A server that supports it sends nothing but ADDED events before the end bookmark; a
    /// plain bookmark, a change, or the end of the stream first means it ignored the parameters.
    /// 400 or 422 means it refused them (the WatchList feature gate off).
    func streamInitialState(log: Logger) async -> StreamOutcome {
        var entries: [Entry] = []
        do {
            let events = try await client.watch(
                Object.self, namespace: options.namespace, resourceVersion: nil,
                timeoutSeconds: Int.random(in: options.watchTimeoutSeconds),
                labelSelector: options.labelSelector, fieldSelector: options.fieldSelector,
                allowBookmarks: true, sendInitialEvents: true)
            for try await event in events {
                switch event {
                case .added(let object):
                    entries.append(transform(object))
                case .bookmark(let rv, initialEventsEnd: true):
                    store.replace(entries, resourceVersion: rv, partition: options.partition)
                    observer.relisted(resource: Object.resource.description, objects: entries.count)
                    log.debug("streamed", metadata: ["objects": "\(entries.count)", "resourceVersion": "\(rv)"])
                    return .synced(resourceVersion: rv)
                case .bookmark:
                    return .unsupported(reason: "a bookmark without k8s.io/initial-events-end came before the initial state ended")
                case .modified, .deleted:
                    return .unsupported(reason: "a change came before the end of the initial state")
                case .error(let status):
                    let error = APIError.watchError(status)
                    return error.isGone ? .gone : .failed(error)
                }
            }
            if Task.isCancelled { return .failed(CancellationError()) }
            return .unsupported(reason: "the watch ended without the k8s.io/initial-events-end bookmark")
        } catch let error as APIError where error.code == 400 || error.code == 422 {
            return .unsupported(reason: "\(error)")
        } catch let error as APIError where error.isGone {
            return .gone
        } catch {
            return .failed(error)
        }
    }
}
