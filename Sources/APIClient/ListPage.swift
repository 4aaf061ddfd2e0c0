import KubeModel

/// One page of a LIST: the items, the collection's resourceVersion, and the continue token.
public struct ListPage<Object: KubeObject>: Sendable {
    public var items: [Object]
    public var resourceVersion: String
    public var continueToken: String?
    public var remainingItemCount: Int?

    public init(items: [Object], resourceVersion: String, continueToken: String?, remainingItemCount: Int?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }
}
