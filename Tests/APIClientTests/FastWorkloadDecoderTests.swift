import Foundation
import KubeModel
import Testing
import TestSupport
@testable import APIClient

/// Workload objects through `FastObjectDecoder` decode exactly as through Foundation: the golden
/// objects and lists, a document per kind that sets every field the model has (a field added to
/// a model and not to `ProjectedReader+WorkloadKinds` fails it), watch lines, nulls and bad input.
@Suite struct FastWorkloadDecoderTests {
    let fast = FastObjectDecoder(interner: StringInterner())
    let foundation = FoundationObjectDecoder()

    func same<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        let expected = try foundation.decode(type, from: bytes)
        #expect(try fast.decode(type, from: bytes) == expected)
        return expected
    }

    @Test func goldenObjectsDecodeIdentically() throws {
        let deployment = try same(Deployment.self, Array(try Fixtures.golden("objects/deployment.json")))
        #expect(deployment.status?.conditions?.isEmpty == false)
        _ = try same(Deployment.self, Array(try Fixtures.golden("objects/deployment-after-restart-patch.json")))
        _ = try same(ReplicationController.self, Array(try Fixtures.golden("objects/replicationcontroller.json")))
        let statefulSet = try same(StatefulSet.self, Array(try Fixtures.golden("objects/statefulset-ondelete.json")))
        #expect(statefulSet.spec.updateStrategy?.type == "OnDelete")
        let bytes = Array(try Fixtures.golden("objects/replicasets.json"))
        let a = try foundation.decode(ListBody<ReplicaSet>.self, from: bytes)
        let b = try fast.decode(ListBody<ReplicaSet>.self, from: bytes)
        #expect(!a.items.isEmpty)
        #expect(a.items == b.items)
        #expect(a.metadata.resourceVersion == b.metadata.resourceVersion)
    }

    static let meta = #"""
    "metadata":{"name":"w","namespace":"ns","uid":"u-1","resourceVersion":"7","generation":3,
     "creationTimestamp":"2026-11-23T18:36:59Z","deletionTimestamp":"2026-11-24T18:36:59Z",
     "labels":{"app":"w"},"annotations":{"token-warden.dev/restart-before":"30d"},
     "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"d","uid":"u-0","controller":true}],
     "managedFields":[{"manager":"kube-controller-manager","fieldsV1":{"f:status":{}}}]}
    """#
    static let template = #""template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-23T18:36:59Z"},"labels":{"app":"w"}},"spec":{"containers":[{"name":"app","image":"x"}]}}"#
    static let condition = #"{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable","message":"ReplicaSet \"w-1\" has successfully progressed.","lastUpdateTime":"2026-11-23T18:36:59Z"}"#

    /// Every field of every kind's model set (`everyFieldSet` checks the document does that).
    static let fullDocuments: [(kind: String, json: String)] = [
        ("Deployment", #"{"kind":"Deployment",\#(meta),"spec":{"replicas":3,"paused":false,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}},\#(template),"selector":{}},"status":{"observedGeneration":3,"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2,"unavailableReplicas":1,"conditions":[\#(condition)]}}"#),
        ("ReplicaSet", #"{\#(meta),"spec":{"replicas":2,"selector":{},\#(template)},"status":{"observedGeneration":1,"replicas":2,"readyReplicas":2,"availableReplicas":2,"fullyLabeledReplicas":2}}"#),
        ("ReplicationController", #"{\#(meta),"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"availableReplicas":1}}"#),
        ("StatefulSet", #"{\#(meta),"spec":{"replicas":3,"updateStrategy":{"type":"OnDelete"},\#(template),"serviceName":"s"},"status":{"observedGeneration":2,"replicas":3,"readyReplicas":3,"currentReplicas":3,"updatedReplicas":3,"availableReplicas":3,"currentRevision":"w-1","updateRevision":"w-2","collisionCount":0}}"#),
        ("DaemonSet", #"{\#(meta),"spec":{"updateStrategy":{"type":"RollingUpdate"},\#(template)},"status":{"observedGeneration":1,"desiredNumberScheduled":5,"currentNumberScheduled":5,"updatedNumberScheduled":4,"numberReady":4,"numberAvailable":4,"numberUnavailable":1,"numberMisscheduled":0}}"#),
        ("Rollout", #"{\#(meta),"spec":{"replicas":4,"paused":true,"restartAt":"2026-11-23T18:36:59Z",\#(template),"strategy":{"canary":{}}},"status":{"restartedAt":"2026-11-23T18:36:59Z","phase":"Healthy","message":"ok","currentPodHash":"abc","stableRS":"abc","replicas":4,"updatedReplicas":4,"readyReplicas":4,"availableReplicas":4}}"#),
    ]

    /// Decodes `json` as the kind's model with both decoders, in every form the client reads:
    /// a single object, a LIST page and a watch line. Answers Foundation's object.
    func sameInEveryForm(_ kind: String, _ json: String) throws -> Any {
        switch kind {
        case "Deployment": return try sameInEveryForm(Deployment.self, json)
        case "ReplicaSet": return try sameInEveryForm(ReplicaSet.self, json)
        case "ReplicationController": return try sameInEveryForm(ReplicationController.self, json)
        case "StatefulSet": return try sameInEveryForm(StatefulSet.self, json)
        case "DaemonSet": return try sameInEveryForm(DaemonSet.self, json)
        case "Rollout": return try sameInEveryForm(ArgoRollout.self, json)
        default: throw FastDecodingError(message: "no kind \(kind)", offset: 0)
        }
    }

    func sameInEveryForm<T: KubeObject & Equatable>(_ type: T.Type, _ json: String) throws -> T {
        let object = try same(type, Array(json.utf8))
        let list = Array(#"{"kind":"List","metadata":{"resourceVersion":"9","continue":"c"},"items":[\#(json),\#(json)]}"#.utf8)
        #expect(try fast.decode(ListBody<T>.self, from: list).items == [object, object])
        for type in ["ADDED", "MODIFIED", "DELETED"] {
            let line = Array(#"{"type":"\#(type)","object":\#(json)}"#.utf8)
            let event = try KubeClient.decodeEvent(T.self, line, decoder: fast, path: T.resource.collectionPath(namespace: nil))
            switch event {
            case .added(let decoded), .modified(let decoded), .deleted(let decoded): #expect(decoded == object)
            default: Issue.record("\(type) read as \(event)")
            }
        }
        return object
    }

    @Test(arguments: fullDocuments.map(\.kind))
    func everyFieldOfEveryKindDecodesIdentically(kind: String) throws {
        let json = try #require(Self.fullDocuments.first { $0.kind == kind }?.json)
        let decoded = try sameInEveryForm(kind, json)
        #expect(Self.unsetFields(decoded).isEmpty, "the \(kind) document leaves \(Self.unsetFields(decoded)) unset")
    }

    /// Paths of the optional fields that are nil, at any depth (collections: their first element).
    static func unsetFields(_ value: Any, path: String = "") -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [path] }
            return unsetFields(wrapped, path: path)
        }
        if mirror.displayStyle == .collection || mirror.displayStyle == .dictionary || mirror.displayStyle == .set {
            return mirror.children.first.map { unsetFields($0.value, path: path + "[]") } ?? []
        }
        guard mirror.displayStyle == .struct else { return [] }
        return mirror.children.flatMap { unsetFields($0.value, path: path + "." + ($0.label ?? "?")) }
    }

    @Test func nullsAndAbsencesDecodeAsFoundationDoes() throws {
        _ = try sameInEveryForm(Deployment.self, #"{"metadata":{"name":"d"},"spec":{}}"#)
        _ = try sameInEveryForm(Deployment.self, #"{"metadata":{"name":"d"},"spec":{"template":null,"strategy":null,"replicas":null},"status":null}"#)
        _ = try sameInEveryForm(StatefulSet.self, #"{"status":{"conditions":[]},"spec":{"template":{"metadata":null}},"metadata":{"name":"s"}}"#)
        _ = try sameInEveryForm(ReplicaSet.self, #"{"metadata":{"name":"r"},"spec":{"template":{"metadata":{"annotations":null}}}}"#)
    }

    static let malformed = [
        #"{"metadata":{"name":"d"}}"#,  // no spec: required
        #"{"metadata":{"name":"d"},"spec":null}"#,
        #"{"spec":{}}"#,  // no metadata
        #"{"metadata":{"name":"d"},"spec":{"replicas":"3"}}"#,
        #"{"metadata":{"name":"d"},"spec":{"replicas":1.5}}"#,
        #"{"metadata":{"name":"d"},"spec":{"paused":"yes"}}"#,
        #"{"metadata":{"name":"d"},"spec":{},"status":{"conditions":[{"type":"Available"}]}}"#,  // condition without status
        #"{"metadata":{"name":"d"},"spec":{"strategy":"RollingUpdate"}}"#,
        #"{"metadata":{"name":"d"},"spec":{}"#,
    ]

    @Test(arguments: malformed)
    func malformedInputIsRejectedByBoth(text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: (any Error).self) { _ = try foundation.decode(Deployment.self, from: bytes) }
        #expect(throws: (any Error).self) { _ = try fast.decode(Deployment.self, from: bytes) }
    }

    @Test func bookmarksAndErrorLinesOfWorkloadWatches() throws {
        let bookmark = Array(#"{"type":"BOOKMARK","object":{"kind":"Deployment","metadata":{"resourceVersion":"12","annotations":{"k8s.io/initial-events-end":"true"}}}}"#.utf8)
        let event = try KubeClient.decodeEvent(Deployment.self, bookmark, decoder: fast, path: "/apis/apps/v1/deployments")
        guard case .bookmark(let rv, let end) = event else { Issue.record("not a bookmark: \(event)"); return }
        #expect(rv == "12" && end)
        let gone = Array(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (473)","reason":"Expired","code":410}}"#.utf8)
        guard case .error(let status) = try KubeClient.decodeEvent(Deployment.self, gone, decoder: fast, path: "/apis/apps/v1/deployments") else {
            Issue.record("not an error line")
            return
        }
        #expect(status.code == 410)
    }
}
