import Foundation
import HTTPServer
import KubeModel
import Synchronization
import Testing
import TestSupport
import WatchCache
@testable import APIClient

/// The client against a scripted HTTPS server: paging, retries, token handling.
@Suite struct ClientOverHTTPTests {
    static func podJSON(_ name: String, rv: Int, namespace: String = "ns") -> String {
        #"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"uid-\#(name)","resourceVersion":"\#(rv)"},"spec":{"containers":[{"name":"app"}]},"status":{"phase":"Running"}}"#
    }

    static func json(_ writer: any HTTPResponseWriter, _ status: Int, _ body: String, headers: [(String, String)] = []) {
        writer.respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
    }

    @Test func listAllFollowsContinueTokens() async throws {
        let seenTokens = Mutex<[String]>([])
        let server = try TLSTestServer { request, writer in
            let token = request.query("continue") ?? ""
            seenTokens.withLock { $0.append(token) }
            #expect(request.query("limit") == "2")
            let (items, next) = switch token {
                case "": ([Self.podJSON("a", rv: 1), Self.podJSON("b", rv: 2)], "page2")
                case "page2": ([Self.podJSON("c", rv: 3), Self.podJSON("d", rv: 4)], "page3")
                default: ([Self.podJSON("e", rv: 5)], "")
            }
            Self.json(writer, 200, #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"77","continue":"\#(next)"},"items":[\#(items.joined(separator: ","))]}"#)
        }
        let client = KubeClient(config: server.clusterConfig())
        let (pods, rv) = try await client.listAll(Pod.self, pageSize: 2)
        #expect(pods.map(\.metadata.name) == ["a", "b", "c", "d", "e"])
        #expect(rv == "77")
        #expect(seenTokens.withLock { $0 } == ["", "page2", "page3"])
    }

    @Test func errorsCarryTheServersStatus() async throws {
        let notFound = String(decoding: try Fixtures.golden("errors/404-not-found.json"), as: UTF8.self)
        let server = try TLSTestServer { _, writer in Self.json(writer, 404, notFound) }
        let client = KubeClient(config: server.clusterConfig())
        do {
            _ = try await client.get(Pod.self, namespace: "golden", name: "nope")
            Issue.record("expected 404")
        } catch let error as APIError {
            #expect(error.isNotFound)
            #expect(error.reason == "NotFound")
            #expect(error.description.contains("not found"))
        }
    }

    @Test func tooManyRequestsWithRetryAfterIsRetried() async throws {
        let calls = Atomic<Int>(0)
        let server = try TLSTestServer { _, writer in
            if calls.add(1, ordering: .relaxed).newValue == 1 {
                Self.json(writer, 429, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}"#, headers: [("Retry-After", "1")])
            } else {
                Self.json(writer, 200, Self.podJSON("a", rv: 1))
            }
        }
        let client = KubeClient(config: server.clusterConfig())
        let started = ContinuousClock.now
        let pod = try await client.get(Pod.self, namespace: "ns", name: "a")
        #expect(pod.metadata.name == "a")
        #expect(calls.load(ordering: .relaxed) == 2)
        #expect(ContinuousClock.now - started >= .seconds(1))
    }

    @Test func tooManyRequestsWithoutRetryAfterIsNotRetried() async throws {
        let body = String(decoding: try Fixtures.golden("errors/429-eviction-blocked-by-pdb.json"), as: UTF8.self)
        let calls = Atomic<Int>(0)
        let server = try TLSTestServer { _, writer in
            calls.add(1, ordering: .relaxed)
            Self.json(writer, 429, body)
        }
        let client = KubeClient(config: server.clusterConfig())
        await #expect { try await client.evict(namespace: "ns", pod: "a") } throws: { error in
            (error as? APIError)?.isTooManyRequests == true
        }
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    /// The kubelet swaps `..data`; the very next request must carry the new token, no 401 seen.
    @Test func rotatedTokenIsUsedWithoutA401() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-rot-\(UUID().uuidString)").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/..v1", withIntermediateDirectories: true)
        try "token-one".write(toFile: dir + "/..v1/token", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/..data", withDestinationPath: "..v1")
        try fm.createSymbolicLink(atPath: dir + "/token", withDestinationPath: "..data/token")

        let accepted = Mutex("token-one")
        let unauthorized = Atomic<Int>(0)
        let unauthorizedBody = String(decoding: try Fixtures.golden("errors/401-unauthorized.json"), as: UTF8.self)
        let server = try TLSTestServer { request, writer in
            if request.header("Authorization") == "Bearer \(accepted.withLock { $0 })" {
                Self.json(writer, 200, Self.podJSON("a", rv: 1))
            } else {
                unauthorized.add(1, ordering: .relaxed)
                Self.json(writer, 401, unauthorizedBody)
            }
        }
        let token = TokenSource.file(dir + "/token", maximumAge: .seconds(3600))
        let client = KubeClient(config: server.clusterConfig(token: token))
        _ = try await client.get(Pod.self, namespace: "ns", name: "a")

        try fm.createDirectory(atPath: dir + "/..v2", withIntermediateDirectories: true)
        try "token-two".write(toFile: dir + "/..v2/token", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/..tmp", withDestinationPath: "..v2")
        #expect(rename(dir + "/..tmp", dir + "/..data") == 0)
        accepted.withLock { $0 = "token-two" }
        _ = try await client.get(Pod.self, namespace: "ns", name: "a")
        #expect(unauthorized.load(ordering: .relaxed) == 0)
    }

    /// The server revoked the old token before the file changed in a way we noticed: a 401 makes
    /// the client re-read the file and retry exactly once.
    @Test func unauthorizedReloadsTheTokenAndRetriesOnce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-401-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/token"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let calls = Atomic<Int>(0)
        let server = try TLSTestServer { request, writer in
            calls.add(1, ordering: .relaxed)
            if request.header("Authorization") == "Bearer new" {
                Self.json(writer, 200, Self.podJSON("a", rv: 1))
            } else {
                Self.json(writer, 401, #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
            }
        }
        let token = TokenSource.file(path, maximumAge: .seconds(3600))
        let client = KubeClient(config: server.clusterConfig(token: token))
        _ = try token.token()  // cache "old"
        // Same size, and written within the same timestamp granularity as far as the client can tell.
        try "new".write(toFile: path, atomically: false, encoding: .utf8)
        token.invalidate()
        _ = try token.token()
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        _ = try token.token()
        try "new".write(toFile: path, atomically: false, encoding: .utf8)
        // Whether or not the fingerprint noticed the last write, a 401 forces a fresh read.
        let pod = try await client.get(Pod.self, namespace: "ns", name: "a")
        #expect(pod.metadata.name == "a")
        #expect(calls.load(ordering: .relaxed) <= 2)

        // A token the server never accepts: one retry, then the 401 reaches the caller.
        try "revoked".write(toFile: path, atomically: false, encoding: .utf8)
        token.invalidate()
        calls.store(0, ordering: .relaxed)
        await #expect { _ = try await client.get(Pod.self, namespace: "ns", name: "a") } throws: { error in
            (error as? APIError)?.isUnauthorized == true
        }
        #expect(calls.load(ordering: .relaxed) == 2)
    }

    @Test func patchSendsTheContentTypeAndFieldManager() async throws {
        let seen = Mutex<(String?, String?, String)>((nil, nil, ""))
        let server = try TLSTestServer { request, writer in
            seen.withLock { $0 = (request.header("Content-Type"), request.query("fieldManager"), String(decoding: request.body, as: UTF8.self)) }
            Self.json(writer, 200, Self.podJSON("a", rv: 9))
        }
        let client = KubeClient(config: server.clusterConfig())
        let pod = try await client.patch(Pod.self, namespace: "ns", name: "a", patchType: .strategicMerge, body: Array(#"{"metadata":{}}"#.utf8))
        #expect(pod.metadata.resourceVersion == "9")
        let (contentType, manager, body) = seen.withLock { $0 }
        #expect(contentType == "application/strategic-merge-patch+json")
        #expect(manager == "token-warden")
        #expect(body == #"{"metadata":{}}"#)
    }
}
