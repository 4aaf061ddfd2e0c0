/// An order-independent fingerprint of one resource's objects: how many there are, and the
/// wrapping sum of one 64-bit FNV-1a hash per object over its uid and resourceVersion. A cache
/// holding exactly the server's objects at the server's versions has the server's digest,
/// whatever order it was filled in; a missed creation, deletion or modification changes it.
/// It names no object and carries no content, so it is safe to show on a debug endpoint.
/// The watch caches compute it (`ObjectStore.digest`) and so does the simulated API server, so
/// the two can be compared from outside the process.
public struct CacheDigest: Sendable, Equatable {
    /// The resource as the API server's error messages name it: "pods", "deployments.apps".
    public let resource: String
    public private(set) var count = 0
    public private(set) var value: UInt64 = 0

    public init(resource: String) {
        self.resource = resource
    }

    public mutating func add(uid: String, resourceVersion: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for byte in uid.utf8 { feed(byte) }
        feed(0)  // "ab"+"c" and "a"+"bc" differ
        for byte in resourceVersion.utf8 { feed(byte) }
        value = value &+ hash
        count += 1
    }

    /// The value as 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `RESOURCE COUNT DIGEST`: one line of `/debug/caches` and of kube-sim's `/kube-sim/digest`.
    public var line: String { "\(resource) \(count) \(hex)" }
}
