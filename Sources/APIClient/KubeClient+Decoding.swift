import KubeModel

extension KubeClient {
    /// Decodes one LIST response body exactly as `list` does (same seam, same wire type), for
    /// benchmarks and fuzzing of an `ObjectDecoder` without a server.
    public static func decodeListPage<T: KubeObject>(_ type: T.Type, from body: [UInt8], decoder: any ObjectDecoder) throws -> ListPage<T> {
        let list = try decoder.decode(ListBody<T>.self, from: body)
        return ListPage(
            items: list.items, resourceVersion: list.metadata.resourceVersion ?? "",
            continueToken: list.metadata.continue.flatMap { $0.isEmpty ? nil : $0 },
            remainingItemCount: list.metadata.remainingItemCount)
    }

    /// Decodes one watch line exactly as `watch` does.
    public static func decodeWatchLine<T: KubeObject>(_ type: T.Type, _ line: [UInt8], decoder: any ObjectDecoder) throws -> WatchEvent<T> {
        try decodeEvent(type, line, decoder: decoder, path: T.resource.collectionPath(namespace: nil))
    }
}
