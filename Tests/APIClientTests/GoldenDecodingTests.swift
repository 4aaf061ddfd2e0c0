import Foundation
import KubeModel
import Testing
import TestSupport
@testable import APIClient

/// The client's decoders against responses captured from a real kube-apiserver.
@Suite struct GoldenDecodingTests {
    static let errorFiles = [
        "400-bad-patch", "401-unauthorized", "403-forbidden-cluster-pods", "403-forbidden-list-secrets",
        "404-not-found", "409-already-exists", "409-conflict-stale-resourceversion",
        "415-unsupported-patch-type", "422-invalid", "429-eviction-blocked-by-pdb",
    ]

    @Test(arguments: errorFiles)
    func errorStatusDecodes(name: String) throws {
        let status = try FoundationObjectDecoder().decode(APIStatus.self, from: Array(Fixtures.golden("errors/\(name).json")))
        let httpCode = try Fixtures.goldenStatusCode("errors/\(name).headers")
        #expect(status.kind == "Status")
        #expect(status.status == "Failure")
        #expect(status.code == httpCode)
        #expect(status.reason?.isEmpty == false)
        #expect(status.message?.isEmpty == false)
    }

    @Test func evictionBlockedByPDBCarriesTheCause() throws {
        let status = try FoundationObjectDecoder().decode(APIStatus.self, from: Array(Fixtures.golden("errors/429-eviction-blocked-by-pdb.json")))
        #expect(status.reason == "TooManyRequests")
        #expect(status.details?.causes?.first?.reason == "DisruptionBudget")
        #expect(status.message == "Cannot evict pod as it would violate the pod's disruption budget.")
    }

    @Test func conflictIsRecognised() throws {
        let status = try FoundationObjectDecoder().decode(APIStatus.self, from: Array(Fixtures.golden("errors/409-conflict-stale-resourceversion.json")))
        let error = APIError.status(code: 409, status: status, retryAfterSeconds: nil, verb: "update", path: "/x")
        #expect(error.isConflict)
        #expect(error.reason == "Conflict")
        #expect(error.description.contains("409 Conflict"))
    }

    @Test func pagedPodListDecodes() throws {
        let page1 = try FoundationObjectDecoder().decode(ListBody<Pod>.self, from: Array(Fixtures.golden("objects/podlist-page1.json")))
        let page2 = try FoundationObjectDecoder().decode(ListBody<Pod>.self, from: Array(Fixtures.golden("objects/podlist-page2.json")))
        #expect(page1.items.count == 2)
        #expect(page1.metadata.resourceVersion == "473")
        #expect(page1.metadata.continue?.isEmpty == false)
        #expect(page1.metadata.remainingItemCount == 12)
        #expect(page2.metadata.remainingItemCount == 10)
        #expect(Set(page1.items.map(\.metadata.name)).isDisjoint(with: page2.items.map(\.metadata.name)))
    }

    /// Feeds a captured stream through the line splitter in chunks of every size from 1 byte up,
    /// so events split across chunk boundaries (and inside UTF-8 sequences) decode the same.
    static func events(_ file: String, chunkSize: Int) throws -> [WatchEvent<Pod>] {
        let bytes = Array(try Fixtures.golden("watch/\(file)"))
        var splitter = LineSplitter()
        var events: [WatchEvent<Pod>] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            for line in try splitter.feed(Array(bytes[offset..<end])) {
                events.append(try KubeClient.decodeEvent(Pod.self, line, decoder: FoundationObjectDecoder(), path: "/api/v1/pods"))
            }
            offset = end
        }
        if let last = splitter.finish() {
            events.append(try KubeClient.decodeEvent(Pod.self, last, decoder: FoundationObjectDecoder(), path: "/api/v1/pods"))
        }
        return events
    }

    static func summary(_ events: [WatchEvent<Pod>]) -> [String] {
        events.map { event in
            switch event {
            case .added(let p): return "ADDED \(p.metadata.name)"
            case .modified(let p): return "MODIFIED \(p.metadata.name)"
            case .deleted(let p): return "DELETED \(p.metadata.name)"
            case .bookmark(let rv, let end): return "BOOKMARK \(rv)\(end ? " end" : "")"
            case .error(let s): return "ERROR \(s.code ?? 0)"
            }
        }
    }

    @Test(arguments: [1, 7, 64, 1000, 1 << 20])
    func watchFromResourceVersion(chunkSize: Int) throws {
        let events = try Self.events("pods-from-rv.jsonl", chunkSize: chunkSize)
        let summary = Self.summary(events)
        #expect(summary.count == 21)
        #expect(summary.first == "ADDED web-57b9f7b856-8hj2j")
        #expect(summary.filter { $0.hasPrefix("DELETED") }.count == 3)
        #expect(summary.suffix(2) == ["BOOKMARK 544", "BOOKMARK 544"])
        #expect(events[11].resourceVersion == "516")
    }

    @Test(arguments: [1, 13, 4096])
    func watchWithInitialEvents(chunkSize: Int) throws {
        let summary = Self.summary(try Self.events("pods-sendinitialevents.jsonl", chunkSize: chunkSize))
        #expect(summary.prefix(5) == ["ADDED db-0", "ADDED legacy-t5wsq", "ADDED web-57b9f7b856-gz8f6", "ADDED web-57b9f7b856-n9h5l", "BOOKMARK 546 end"])
        #expect(summary.last == "BOOKMARK 547")
    }

    @Test func tooOldResourceVersionIsAnErrorEventWith410() throws {
        let events = try Self.events("pods-too-old-rv.jsonl", chunkSize: 5)
        guard case .error(let status) = events.first else {
            Issue.record("expected an ERROR event, got \(Self.summary(events))")
            return
        }
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
        #expect(APIError.watchError(status).isGone)
        #expect(status.message?.hasPrefix("too old resource version") == true)
    }

    @Test func unknownEventTypeIsAClearError() throws {
        let line = Array(#"{"type":"SURPRISE","object":{}}"#.utf8)
        #expect(throws: APIError.self) {
            _ = try KubeClient.decodeEvent(Pod.self, line, decoder: FoundationObjectDecoder(), path: "/api/v1/pods")
        }
    }

    @Test func httpDateParses() {
        #expect(HTTPDate.parse("Mon, 23 Nov 2026 18:37:02 GMT") == Timestamp(rfc3339: "2026-11-23T18:37:02Z")?.seconds)
        #expect(HTTPDate.parse("garbage") == nil)
    }

    @Test func queryValuesAreEscaped() {
        #expect(QueryEncoding.encode([("labelSelector", "app in (a,b),!x")]) == "labelSelector=app%20in%20%28a%2Cb%29%2C%21x")
    }
}
