import APIClient
import KubeModel
import Logging

/// The reflector's sync: the whole state into the store in one step, streamed where the server
/// supports it (client-go's watch-list), else by a paged LIST.
extension Reflector {
    /// A paged LIST (the client's pager starts over once if a continue token expires), swapped
    /// into the store when its last page has arrived.
    func listInitialState(log: Logger) async -> ReflectorOutcome {
        do {
            let (items, rv) = try await client.listAll(
                Object.self, namespace: options.namespace, labelSelector: options.labelSelector,
                fieldSelector: options.fieldSelector, pageSize: options.pageSize, progress: nil, transform: transform)
            store.replace(items, resourceVersion: rv, partition: options.partition)
            observer.relisted(resource: Object.resource.description, objects: items.count)
            log.debug("listed", metadata: ["objects": "\(items.count)", "resourceVersion": "\(rv)"])
            return .synced(resourceVersion: rv)
        } catch let error as APIError where error.isGone {
            return .gone
        } catch {
            return .failed(resourceVersion: nil, error: error)
        }
    }

    /// `watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`
    /// without a resourceVersion (a consistent read, as client-go after a 410): entries are made
    /// event by event and swapped in at the `k8s.io/initial-events-end` bookmark. The stream is
    /// then closed and a watch from the bookmark's resourceVersion takes over, so timeouts,
    /// bookmarks, 410 and backoff have one path.
    ///
    /// A server that supports it sends nothing but ADDED events before the end bookmark; a
    /// plain bookmark, a change, or the end of the stream first means it ignored the parameters.
    /// 400 or 422 means it refused them (the WatchList feature gate off). Either is remembered
    /// per resource in `streamingSupport`, so the other reflectors of the resource list at once.
    func streamInitialState(log: Logger) async -> ReflectorOutcome {
        let resource = Object.resource.description
        if let known = streamingSupport.reason(resource) { return .streamingUnsupported(reason: known) }
        let outcome = await streamOnce(log: log)
        if case .streamingUnsupported(let reason) = outcome, streamingSupport.markUnsupported(resource, reason: reason) {
            log.notice("the server does not support a streaming initial sync; listing in pages",
                       metadata: ["reason": "\(reason)"])
        }
        return outcome
    }

    private func streamOnce(log: Logger) async -> ReflectorOutcome {
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
                    return .streamingUnsupported(reason: "a bookmark without k8s.io/initial-events-end came before the initial state ended")
                case .modified, .deleted:
                    return .streamingUnsupported(reason: "a change came before the end of the initial state")
                case .error(let status):
                    let error = APIError.watchError(status)
                    return error.isGone ? .gone : .failed(resourceVersion: nil, error: error)
                }
            }
            if Task.isCancelled { return .failed(resourceVersion: nil, error: CancellationError()) }
            return .streamingUnsupported(reason: "the watch ended without the k8s.io/initial-events-end bookmark")
        } catch let error as APIError where error.code == 400 || error.code == 422 {
            return .streamingUnsupported(reason: "\(error)")
        } catch let error as APIError where error.isGone {
            return .gone
        } catch {
            return .failed(resourceVersion: nil, error: error)
        }
    }
}
