import Foundation
import KubeModel
import Testing
import TestSupport
@testable import APIClient

/// `FastObjectDecoder` must decode exactly what `FoundationObjectDecoder` decodes: the golden
/// pod, list pages and watch streams, plus escapes, nulls, key orders and malformed input.
@Suite struct FastDecoderTests {
    let fast = FastObjectDecoder(interner: StringInterner())
    let foundation = FoundationObjectDecoder()

    static func describe(_ event: WatchEvent<Pod>) -> String {
        switch event {
        case .added(let p): return "ADDED \(p.key) \(p.metadata.resourceVersion ?? "")"
        case .modified(let p): return "MODIFIED \(p.key) \(p.metadata.resourceVersion ?? "")"
        case .deleted(let p): return "DELETED \(p.key) \(p.metadata.resourceVersion ?? "")"
        case .bookmark(let rv, let end): return "BOOKMARK \(rv) \(end)"
        case .error(let s): return "ERROR \(s)"
        }
    }

    func sameEvent(_ line: [UInt8]) throws {
        let a = try KubeClient.decodeEvent(Pod.self, line, decoder: foundation, path: "/api/v1/pods")
        let b = try KubeClient.decodeEvent(Pod.self, line, decoder: fast, path: "/api/v1/pods")
        #expect(Self.describe(a) == Self.describe(b))
        if case .added(let x) = a, case .added(let y) = b { #expect(x == y) }
        if case .modified(let x) = a, case .modified(let y) = b { #expect(x == y) }
        if case .deleted(let x) = a, case .deleted(let y) = b { #expect(x == y) }
        if case .error(let x) = a, case .error(let y) = b { #expect(x == y) }
    }

    @Test func goldenPodDecodesIdentically() throws {
        let bytes = Array(try Fixtures.golden("objects/pod.json"))
        let expected = try foundation.decode(Pod.self, from: bytes)
        #expect(try fast.decode(Pod.self, from: bytes) == expected)
        #expect(expected.spec.volumes?.isEmpty == false)
    }

    @Test(arguments: ["objects/podlist-page1.json", "objects/podlist-page2.json"])
    func goldenListPagesDecodeIdentically(file: String) throws {
        let bytes = Array(try Fixtures.golden(file))
        let a = try foundation.decode(ListBody<Pod>.self, from: bytes)
        let b = try fast.decode(ListBody<Pod>.self, from: bytes)
        #expect(a.items == b.items)
        #expect(!a.items.isEmpty)
        #expect(a.metadata.resourceVersion == b.metadata.resourceVersion)
        #expect(a.metadata.continue == b.metadata.continue)
        #expect(a.metadata.remainingItemCount == b.metadata.remainingItemCount)
    }

    @Test(arguments: ["pods-from-rv.jsonl", "pods-sendinitialevents.jsonl", "pods-too-old-rv.jsonl"])
    func goldenWatchStreamsDecodeIdentically(file: String) throws {
        var splitter = LineSplitter()
        var lines = try splitter.feed(Array(try Fixtures.golden("watch/\(file)")))
        if let last = splitter.finish() { lines.append(last) }
        #expect(!lines.isEmpty)
        for line in lines { try sameEvent(line) }
    }

    @Test func escapesNullsAndUnknownFields() throws {
        let pod = #"""
        {"metadata":{"name":"caf\u00e9-\"x\"\n","namespace":null,"labels":{"a\/b":"\ud83d\ude00","k":"v"},
         "annotations":{"note":"tab\there"},"managedFields":[{"f:x":{"k:{\"uid\":\"1\"}":{}}}],
         "creationTimestamp":"2026-11-23T18:36:59.123456+02:00","generation":-7,"uid":null},
         "spec":{"containers":[{"name":"app","volumeMounts":[{"name":"t","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],"env":[{"name":"X","value":"1e5"}]}],
                 "volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"c"}}]}},{"name":"s","secret":{"secretName":"legacy"}},{"name":"e","emptyDir":{}}],
                 "automountServiceAccountToken":false,"nodeName":"node-1","unknown":[1,2.5e-3,true,null,{"a":[]}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                   "containerStatuses":[{"name":"app","ready":true,"restartCount":3,"state":{"running":{"startedAt":"2026-11-23T18:36:59Z"}}},
                                        {"name":"w","state":{"waiting":{"reason":"CrashLoopBackOff"}}}],
                   "startTime":null}}
        """#
        let bytes = Array(pod.utf8)
        let expected = try foundation.decode(Pod.self, from: bytes)
        #expect(try fast.decode(Pod.self, from: bytes) == expected)
        #expect(expected.metadata.name == "café-\"x\"\n")
        try sameEvent(Array((#"{"type":"MODIFIED","object":"# + pod + "}").utf8))
    }

    @Test func objectBeforeTypeAndBookmarks() throws {
        try sameEvent(Array(#"{"object":{"metadata":{"name":"p","resourceVersion":"9"}},"type":"DELETED"}"#.utf8))
        try sameEvent(Array(#"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12","annotations":{"k8s.io/initial-events-end":"true"}}}}"#.utf8))
        try sameEvent(Array(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"13"}}}"#.utf8))
    }

    static let malformed = [
        #"{"metadata":{"namespace":"a"}}"#,  // no name
        #"{"metadata":{"name":"p"},"spec":{"containers":[{"image":"x"}]}}"#,  // container without name
        #"{"metadata":{"name":"p","generation":1.5}}"#,
        #"{"metadata":{"name":"p","creationTimestamp":"yesterday"}}"#,
        #"{"metadata":{"name":"p","labels":{"a":1}}}"#,
        #"{"metadata":{"name":"p"}"#,
        #"{"metadata":{"name":"p"}} x"#,
        #"{"metadata":{"name":"p"},"spec":{"x":"unterminated}}"#,
        #"{"metadata":{"name":"p\u12"}}"#,
        "{\"metadata\":{\"name\":\"a\u{01}b\"}}",
        #"{"metadata":{"name":"p"} "spec":{}}"#,
        "",
    ]

    @Test(arguments: malformed)
    func malformedInputIsRejectedByBoth(text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: (any Error).self) { _ = try foundation.decode(Pod.self, from: bytes) }
        #expect(throws: (any Error).self) { _ = try fast.decode(Pod.self, from: bytes) }
    }

    /// Strings are scanned eight bytes at a time: a quote, an escape or a raw control byte at
    /// every offset of names up to 40 bytes long (and so at every position within a word) gives
    /// what Foundation gives, value or rejection.
    @Test func everySpecialByteAtEveryOffsetWithinAWord() throws {
        let specials: [(text: String, valid: Bool)] = [(#"\""#, true), (#"\\"#, true), (#"\u00e9"#, true), (#"\n"#, true),
                                                       (#"\\\""#, true), ("é😀", true), (#"\"\u00e9\\"#, true),
                                                       ("\u{01}", false), ("\t", false), (#"\x"#, false)]
        for length in 0...40 {
            for offset in 0...length {
                for (special, valid) in specials {
                    let name = String(repeating: "a", count: offset) + special + String(repeating: "b", count: length - offset)
                    let bytes = Array(#"{"metadata":{"name":"\#(name)","namespace":"ns"},"spec":{"x":"\#(name)"}}"#.utf8)
                    if valid {
                        let expected = try foundation.decode(Pod.self, from: bytes)
                        #expect(try fast.decode(Pod.self, from: bytes) == expected, "\(name.debugDescription)")
                    } else {
                        #expect(throws: (any Error).self, "\(name.debugDescription)") { _ = try foundation.decode(Pod.self, from: bytes) }
                        #expect(throws: (any Error).self, "\(name.debugDescription)") { _ = try fast.decode(Pod.self, from: bytes) }
                    }
                }
            }
        }
        // A string that ends exactly at the end of the input, in a word and after one.
        for length in 0...17 {
            let open = Array(#"{"metadata":{"name":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: length)
            #expect(throws: (any Error).self) { _ = try fast.decode(Pod.self, from: open) }
            #expect(throws: (any Error).self) { _ = try fast.decode(Pod.self, from: open + [UInt8(ascii: "\\")]) }
        }
    }

    @Test func unknownWatchTypeAndOtherTypesFallBack() throws {
        #expect(throws: APIError.self) {
            _ = try KubeClient.decodeEvent(Pod.self, Array(#"{"type":"SURPRISE","object":{}}"#.utf8), decoder: fast, path: "/api/v1/pods")
        }
        let status = try fast.decode(APIStatus.self, from: Array(try Fixtures.golden("errors/404-not-found.json")))
        #expect(status.code == 404)
    }

    @Test func repeatedLongStringsShareOneEntry() throws {
        let interner = StringInterner()
        let decoder = FastObjectDecoder(interner: interner)
        let pod = #"{"metadata":{"name":"p","namespace":"a-rather-long-namespace","labels":{"app.kubernetes.io/name":"x"}}}"#
        for _ in 0..<3 { _ = try decoder.decode(Pod.self, from: Array(pod.utf8)) }
        #expect(interner.count == 2)
    }
}
