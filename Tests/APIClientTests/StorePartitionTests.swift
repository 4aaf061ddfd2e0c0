import KubeModel
import Testing
@testable import WatchCache

/// A store filled by one reflector per watched namespace has synced only when every one of them
/// has listed: a pass on half the namespaces' objects would see workloads without their pods.
@Suite struct StorePartitionTests {
    typealias Entry = EntryTableTests.Colliding

    static func partition(_ name: String, keys: ClosedRange<Int>) -> StorePartition<Entry> {
        StorePartition(name: name) { keys.contains($0.key) }
    }

    @Test func syncedOnlyOnceEveryPartitionHasListed() {
        let store = ObjectStore<Entry>()
        store.expectPartitions(["a", "b"])
        #expect(!store.hasSynced)
        store.replace([Entry(key: 1, version: "1")], resourceVersion: "10", partition: Self.partition("a", keys: 0...99))
        #expect(!store.hasSynced, "one of two namespaces listed")
        store.replace([Entry(key: 100, version: "2")], resourceVersion: "11", partition: Self.partition("b", keys: 100...199))
        #expect(store.hasSynced)
        // A relist of one partition swaps only its entries and keeps the store synced.
        store.replace([Entry(key: 2, version: "3")], resourceVersion: "12", partition: Self.partition("a", keys: 0...99))
        #expect(store.hasSynced)
        #expect(Set(store.list().map(\.key)) == [2, 100])
    }

    @Test func aWholeStoreIsSyncedByItsFirstList() {
        let store = ObjectStore<Entry>()
        #expect(!store.hasSynced)
        store.replace([Entry(key: 1, version: "1")], resourceVersion: "10")
        #expect(store.hasSynced)
    }
}
