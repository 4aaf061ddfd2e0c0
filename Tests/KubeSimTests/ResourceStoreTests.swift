import Foundation
import KubeSim
import Testing

@Suite("ResourceStore")
struct ResourceStoreTests {
    static func deployment(_ name: String, namespace: String = "default", image: String = "nginx:1") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": .string(name)]],
            "spec": ["replicas": 1, "template": ["spec": ["containers": [["name": "c", "image": .string(image)]]]]],
        ]
    }

    static func store() throws -> ResourceStore {
        let store = ResourceStore(historyCapacity: 50)
        try store.load([["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "default"]]])
        return store
    }

    @Test func createSetsIdentityAndGeneration() throws {
        let store = try Self.store()
        let before = store.resourceVersion
        let created = try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("web"))
        #expect(created.resourceVersion == before + 1)
        #expect(created.generation == 1)
        #expect(!created.uid.isEmpty)
        let text = String(decoding: created.bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":"))
        #expect(throws: StatusError.alreadyExists(ResourceCatalog.deployments, name: "web")) {
            try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("web"))
        }
        #expect(throws: StatusError.notFound(ResourceCatalog.namespaces, name: "nope")) {
            try store.create(ResourceCatalog.deployments, namespace: "nope", object: Self.deployment("web", namespace: "nope"))
        }
    }

    @Test func specChangeBumpsGenerationStatusDoesNot() throws {
        let store = try Self.store()
        try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("web"))
        let labelled = try store.modify(ResourceCatalog.deployments, namespace: "default", name: "web") { value in
            value.set("x", at: ["metadata", "labels", "extra"])
        }
        #expect(labelled.generation == 1)
        let rolled = try store.modify(ResourceCatalog.deployments, namespace: "default", name: "web") { value in
            value.set("now", at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])
        }
        #expect(rolled.generation == 2)
        let status = try store.modify(ResourceCatalog.deployments, namespace: "default", name: "web", subresource: .status) { value in
            value.set(2, at: ["status", "observedGeneration"])
            value.set(5, at: ["spec", "replicas"])  // ignored on the status subresource
        }
        #expect(status.generation == 2)
        #expect(status.value.value(at: ["status", "observedGeneration"])?.intValue == 2)
        #expect(status.value.value(at: ["spec", "replicas"])?.intValue == 1)
        // Status changes through the main resource are ignored; a no-op keeps the resourceVersion.
        let same = try store.modify(ResourceCatalog.deployments, namespace: "default", name: "web") { value in
            value.set(99, at: ["status", "observedGeneration"])
        }
        #expect(same.resourceVersion == status.resourceVersion)
    }

    @Test func staleResourceVersionConflicts() throws {
        let store = try Self.store()
        let created = try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("web"))
        var stale = created.value
        try store.modify(ResourceCatalog.deployments, namespace: "default", name: "web") { $0.set("b", at: ["metadata", "labels", "a"]) }
        stale.set("c", at: ["metadata", "labels", "a"])
        #expect(throws: StatusError.conflict(ResourceCatalog.deployments, name: "web")) {
            try store.update(ResourceCatalog.deployments, namespace: "default", name: "web", object: stale)
        }
        #expect(StatusError.conflict(ResourceCatalog.leases, name: "token-warden").message
            == "Operation cannot be fulfilled on leases.coordination.k8s.io \"token-warden\": the object has been modified; please apply your changes to the latest version and try again")
    }

    @Test func pagedListReadsOneSnapshot() throws {
        let store = try Self.store()
        for i in 0..<7 {
            try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("d\(i)"))
        }
        let first = try store.list(ResourceCatalog.deployments, namespace: "default", limit: 3)
        #expect(first.objects.map(\.name) == ["d0", "d1", "d2"])
        #expect(first.remainingItemCount == 4)
        try store.delete(ResourceCatalog.deployments, namespace: "default", name: "d4")
        try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("d35"))
        let second = try store.list(ResourceCatalog.deployments, namespace: "default", limit: 3, continueToken: first.continueToken)
        #expect(second.objects.map(\.name) == ["d3", "d4", "d5"])
        #expect(second.resourceVersion == first.resourceVersion)
        let third = try store.list(ResourceCatalog.deployments, namespace: "default", limit: 3, continueToken: second.continueToken)
        #expect(third.objects.map(\.name) == ["d6"])
        #expect(third.continueToken == nil)
        store.compact()
        #expect(throws: StatusError.continueExpired) {
            try store.list(ResourceCatalog.deployments, namespace: "default", limit: 3, continueToken: first.continueToken)
        }
    }

    @Test func selectorsFilter() throws {
        let store = try Self.store()
        for name in ["a", "b", "c"] {
            try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment(name))
        }
        let selector = try LabelSelector.parse("app in (a, c),app!=c")
        #expect(try store.list(ResourceCatalog.deployments, labelSelector: selector).objects.map(\.name) == ["a"])
        let byName = try FieldSelector.parse("metadata.name=b", type: ResourceCatalog.deployments)
        #expect(try store.list(ResourceCatalog.deployments, fieldSelector: byName).objects.map(\.name) == ["b"])
        #expect(try LabelSelector.parse("!app").matches([:]))
        #expect(try LabelSelector.parse("app").matches(["app": "x"]))
        #expect(try !LabelSelector.parse("app notin (x)").matches(["app": "x"]))
        #expect(throws: StatusError.self) { try FieldSelector.parse("spec.bogus=1", type: ResourceCatalog.pods) }
    }

    @Test func watchDeliversInOrderAndExpires() throws {
        let store = try Self.store()
        let start = store.resourceVersion
        let watch = try store.watch([ResourceCatalog.deployments], from: start)
        try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("a"))
        try store.modify(ResourceCatalog.deployments, namespace: "default", name: "a") { $0.set("1", at: ["metadata", "labels", "x"]) }
        try store.delete(ResourceCatalog.deployments, namespace: "default", name: "a")
        guard case .events(let events) = watch.next(timeout: 1) else {
            Issue.record("no events")
            return
        }
        #expect(events.map(\.kind) == [.added, .modified, .deleted])
        #expect(events.map(\.resourceVersion) == [start + 1, start + 2, start + 3])
        // Fill the bounded history (50) so `start` falls out of it.
        for i in 0..<60 {
            try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("n\(i)"))
        }
        #expect(throws: StatusError.tooOldResourceVersion(requested: start, oldest: store.oldestResourceVersion)) {
            try store.watch([ResourceCatalog.deployments], from: start)
        }
        guard case .expired(let status) = watch.next(timeout: 0) else {
            Issue.record("expected expiry")
            return
        }
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
    }

    @Test func finalizersDelayDeletion() throws {
        let store = try Self.store()
        var object = Self.deployment("f")
        object.set(["example.com/hold"], at: ["metadata", "finalizers"])
        try store.create(ResourceCatalog.deployments, namespace: "default", object: object)
        guard case .pending(let pending) = try store.delete(ResourceCatalog.deployments, namespace: "default", name: "f") else {
            Issue.record("expected pending deletion")
            return
        }
        #expect(pending.deletionPending)
        try store.modify(ResourceCatalog.deployments, namespace: "default", name: "f") { $0.set([], at: ["metadata", "finalizers"]) }
        #expect(store.get(ResourceCatalog.deployments, namespace: "default", name: "f") == nil)
    }

    @Test func loadMergesBatchesInKeyOrder() throws {
        let store = try Self.store()
        try store.load(["m", "c", "x"].map { Self.deployment($0) })
        var replacement = Self.deployment("c")
        replacement.set("second", at: ["metadata", "labels", "which"])
        try store.load([Self.deployment("a"), Self.deployment("c"), replacement, Self.deployment("z", namespace: "other")])
        #expect(store.objects(ResourceCatalog.deployments).map(\.key) == ["default/a", "default/c", "default/m", "default/x", "other/z"])
        #expect(store.get(ResourceCatalog.deployments, namespace: "default", name: "c")?.labels["which"] == "second")
        #expect(store.get(ResourceCatalog.namespaces, namespace: nil, name: "other") != nil, "missing namespaces are created")
    }

    @Test func subscriptionSeesWrites() throws {
        let store = try Self.store()
        let seen = LockedBox<[String]>([])
        let subscription = store.subscribe([ResourceCatalog.deployments]) { delivery in
            if case .events(let events) = delivery {
                seen.mutate { $0 += events.map { "\($0.kind.rawValue) \($0.object.name)" } }
            }
        }
        defer { subscription.cancel() }
        try store.create(ResourceCatalog.deployments, namespace: "default", object: Self.deployment("s"))
        var waited = 0
        while seen.value.isEmpty && waited < 200 { usleep(10_000); waited += 1 }
        #expect(seen.value == ["ADDED s"])
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func mutate(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
