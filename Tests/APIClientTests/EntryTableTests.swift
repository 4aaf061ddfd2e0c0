import KubeModel
import Testing
import TestSupport
@testable import WatchCache

/// The store's open-addressed table against a `Dictionary` doing the same operations.
@Suite struct EntryTableTests {
    /// Keys hash to one of seven values: long probe runs that wrap around the end of the table,
    /// where deletion by backward shift goes wrong first.
    struct Colliding: CacheEntry {
        var key: Int
        var version: String
        var cacheKey: Int { key }
        var cacheNamespace: String? { nil }
        var cacheResourceVersion: String? { version }
        var cacheUID: String? { nil }
        static func cacheKey(namespace: String?, name: String) -> Int { Int(name) ?? -1 }
        func hashCacheKey(into hasher: inout Hasher) { hasher.combine(key % 7) }
        static func cacheKeyHash(_ key: Int) -> Int { (key % 7).hashValue }
    }

    @Test(arguments: [1, 2, 3])
    func randomOperationsMatchADictionary(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var table = EntryTable<Colliding>()
        var model: [Int: String] = [:]
        for step in 0..<20_000 {
            let key = Int.random(in: 0..<300, using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let version = "v\(step)"
                let replaced = table.upsert(Colliding(key: key, version: version))
                #expect(replaced?.version == model[key])
                model[key] = version
            case 5..<8:
                #expect(table.remove(key)?.version == model.removeValue(forKey: key))
            default:
                #expect(table.remove(sameKeyAs: Colliding(key: key, version: "")).map(\.version) == model.removeValue(forKey: key))
            }
            #expect(table.count == model.count)
            #expect(table[key]?.version == model[key])
            if step % 1_000 == 0 {
                #expect(Dictionary(uniqueKeysWithValues: table.values.map { ($0.key, $0.version) }) == model)
                for probe in 0..<300 where table[probe]?.version != model[probe] {
                    Issue.record("key \(probe): table \(table[probe]?.version ?? "-"), dictionary \(model[probe] ?? "-")")
                }
            }
        }
    }

    @Test func growsPastItsInitialCapacityKeepingEveryEntry() {
        var table = EntryTable<Colliding>(capacity: 2)
        for key in 0..<1_000 { table.upsert(Colliding(key: key, version: "\(key)")) }
        #expect(table.count == 1_000)
        #expect((0..<1_000).allSatisfy { table[$0]?.version == "\($0)" })
        #expect(table.entry(sameKeyAs: Colliding(key: 999, version: "")) != nil && table[1_000] == nil)
    }

    @Test func podRecordsAreFoundByTheKeysCallersBuild() throws {
        let owner = PodOwner(OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-698c77d944", uid: "94841b8e-40e2-45e2-a583-a453fcb25970"))
        func record(_ name: String, owner: PodOwner?, version: String) -> PodRecord {
            let pod = Pod(metadata: ObjectMeta(name: name, namespace: "shop", resourceVersion: version), spec: PodSpec())
            return PodRecord(pod, owner: owner)
        }
        var table = EntryTable<PodRecord>()
        for index in 0..<200 { table.upsert(record("web-698c77d944-\(index)", owner: owner, version: "1")) }
        table.upsert(record("standalone", owner: nil, version: "1"))
        #expect(table.count == 201)
        #expect(table[PodKey(namespace: "shop", name: "web-698c77d944-17")]?.resourceVersion == "1")
        #expect(table[PodKey(namespace: "shop", name: "standalone")] != nil)
        #expect(table[PodKey(namespace: "other", name: "web-698c77d944-17")] == nil)
        #expect(table[PodKey(namespace: "shop", name: "web-698c77d944-1")] != nil && table[PodKey(namespace: "shop", name: "web-698c77d944-")] == nil)
        // The same pod seen without its owner (the name kept whole) is the same entry.
        let replaced = table.upsert(record("web-698c77d944-17", owner: nil, version: "2"))
        #expect(replaced?.resourceVersion == "1" && table.count == 201)
        #expect(table[PodKey(namespace: "shop", name: "web-698c77d944-17")]?.resourceVersion == "2")
        #expect(table.remove(PodKey(namespace: "shop", name: "web-698c77d944-17"))?.resourceVersion == "2" && table.count == 200)
    }

    @Test func apiObjectsAreFoundByNamespaceSlashName() {
        var table = EntryTable<Namespace>()
        var deployments = EntryTable<Deployment>()
        table.upsert(Namespace(metadata: ObjectMeta(name: "shop")))
        deployments.upsert(Deployment(metadata: ObjectMeta(name: "web", namespace: "shop")))
        #expect(table["shop"] != nil && table["shop/"] == nil)
        #expect(deployments["shop/web"] != nil && deployments["web"] == nil && deployments["shop/we"] == nil)
        #expect(deployments[Deployment.cacheKey(namespace: "shop", name: "web")] != nil)
    }
}
