import KubeModel
import Transport

extension KubeClient {
    /// GET one object.
    public func get<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) async throws -> T {
        let path = T.resource.objectPath(namespace: namespace, name: name)
        let response = try await perform(Call(verb: "get", resource: T.resource.plural, method: "GET", path: path))
        return try decode(T.self, response.body, what: T.resource.kind, path: path)
    }

    /// One page of a LIST. `namespace` nil lists across all namespaces.
    public func list<T: KubeObject>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        limit: Int? = 500, continueToken: String? = nil, resourceVersion: String? = nil
    ) async throws -> ListPage<T> {
        try await list(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit,
                       continueToken: continueToken, resourceVersion: resourceVersion, receiveBuffer: nil)
    }

    /// `receiveBuffer`: the page is received into its allocation, handed back once decoded.
    func list<T: KubeObject>(
        _ type: T.Type, namespace: String?, labelSelector: String?, fieldSelector: String?,
        limit: Int?, continueToken: String?, resourceVersion: String?, receiveBuffer: ReceiveBuffer?
    ) async throws -> ListPage<T> {
        let path = T.resource.collectionPath(namespace: namespace)
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        // A page of 500 large pods is a few MB; allow it time on a busy server.
        var response = try await perform(Call(verb: "list", resource: T.resource.plural, method: "GET", path: path, query: query,
                                              timeoutSeconds: 300, receiveBuffer: receiveBuffer))
        let body = try decode(ListBody<T>.self, response.body, what: "\(T.resource.kind)List", path: path)
        receiveBuffer?.keep(&response.body)
        let token = body.metadata.continue.flatMap { $0.isEmpty ? nil : $0 }
        return ListPage(
            items: body.items, resourceVersion: body.metadata.resourceVersion ?? "",
            continueToken: token, remainingItemCount: body.metadata.remainingItemCount)
    }

    /// Every item, page by page, and the resourceVersion to watch from. If a continue token expires
    /// mid-way (410), the listing starts over once from a fresh snapshot, as client-go's pager does.
    public func listAll<T: KubeObject>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        pageSize: Int = 500, progress: (@Sendable (Int, Int?) -> Void)? = nil
    ) async throws -> (items: [T], resourceVersion: String) {
        try await listAll(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                          pageSize: pageSize, progress: progress) { $0 }
    }

    /// Like `listAll`, each page's items made into `Entry` as it arrives, so a caller that keeps
    /// a compact form never holds the whole list decoded.
    public func listAll<T: KubeObject, Entry>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        pageSize: Int = 500, progress: (@Sendable (Int, Int?) -> Void)? = nil, transform: (T) -> Entry
    ) async throws -> (items: [Entry], resourceVersion: String) {
        var restarted = false
        let receiveBuffer = ReceiveBuffer()  // one allocation for every page, freed when the listing ends
        while true {
            var items: [Entry] = []
            var token: String?
            do {
                repeat {
                    try Task.checkCancellation()
                    let page = try await list(
                        T.self, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                        limit: pageSize, continueToken: token, resourceVersion: nil, receiveBuffer: receiveBuffer)
                    if items.isEmpty, let remaining = page.remainingItemCount { items.reserveCapacity(page.items.count + remaining) }
                    items.append(contentsOf: page.items.lazy.map(transform))
                    token = page.continueToken
                    progress?(items.count, page.remainingItemCount.map { items.count + $0 })
                    if token == nil { return (items, page.resourceVersion) }
                } while true
            } catch let error as APIError where error.isGone && !restarted {
                logger.notice("continue token expired while listing; starting over", metadata: ["resource": "\(T.resource)"])
                restarted = true
            }
        }
    }

    /// A raw GET of any path (discovery, /version), returning the body.
    public func getRaw(_ path: String, query: [(String, String)] = []) async throws -> [UInt8] {
        try await perform(Call(verb: "get", resource: path, method: "GET", path: path, query: query)).body
    }
}
