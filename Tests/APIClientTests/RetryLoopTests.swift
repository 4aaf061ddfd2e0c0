import Foundation
import HTTPServer
import KubeModel
import Synchronization
import Testing
import TestSupport
@testable import APIClient

/// Requests and watch streams share one retry loop: the same 401 → token re-read → one retry,
/// the same Retry-After retries, the same `Status` in the error that ends them.
@Suite struct RetryLoopTests {
    enum Kind: String, CaseIterable, Sendable { case request, stream }

    /// Requests the server has answered.
    final class Calls: Sendable {
        private let count = Atomic<Int>(0)
        func next() -> Int { count.add(1, ordering: .relaxed).newValue }
        var seen: Int { count.load(ordering: .relaxed) }
        func reset() { count.store(0, ordering: .relaxed) }
    }

    static let unauthorized = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#
    static let slowDown = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}"#

    /// A server that answers `refusals` in turn, then the object (a GET) or one ADDED event (a watch).
    static func server(_ refusals: [(Int, String, [(String, String)])], accepting token: String? = nil, calls: Calls) throws -> TLSTestServer {
        try TLSTestServer { request, writer in
            let n = calls.next()
            if let token, request.header("Authorization") != "Bearer \(token)" {
                ClientOverHTTPTests.json(writer, 401, Self.unauthorized)
            } else if n <= refusals.count {
                let (code, body, headers) = refusals[n - 1]
                ClientOverHTTPTests.json(writer, code, body, headers: headers)
            } else if request.query("watch") != nil {
                writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
                writer.writeChunk(Array(#"{"type":"ADDED","object":\#(ClientOverHTTPTests.podJSON("a", rv: 1))}"#.utf8) + [10])
                writer.endStream()
            } else {
                ClientOverHTTPTests.json(writer, 200, ClientOverHTTPTests.podJSON("a", rv: 1))
            }
        }
    }

    static func fetch(_ kind: Kind, _ client: KubeClient) async throws -> String {
        switch kind {
        case .request:
            return try await client.get(Pod.self, namespace: "ns", name: "a").metadata.name
        case .stream:
            var names: [String] = []
            for try await event in try await client.watch(Pod.self, namespace: "ns", resourceVersion: "1", timeoutSeconds: 5) {
                if case .added(let pod) = event { names.append(pod.metadata.name) }
            }
            return names.joined(separator: ",")
        }
    }

    @Test(arguments: Kind.allCases)
    func retryAfterIsHonouredThenTheAnswerArrives(kind: Kind) async throws {
        let calls = Calls()
        let server = try Self.server([(429, Self.slowDown, [("Retry-After", "0")]), (503, Self.slowDown, [("Retry-After", "0")])], calls: calls)
        #expect(try await Self.fetch(kind, KubeClient(config: server.clusterConfig())) == "a")
        #expect(calls.seen == 3)
    }

    @Test(arguments: Kind.allCases)
    func retriesEndInTheServersStatus(kind: Kind) async throws {
        let calls = Calls()
        let refusals = Array(repeating: (429, Self.slowDown, [("Retry-After", "0")]), count: 10)
        let server = try Self.server(refusals, calls: calls)
        let client = KubeClient(config: server.clusterConfig(), maximumRetries: 2)
        await #expect { _ = try await Self.fetch(kind, client) } throws: { error in
            guard case .status(429, let status, 0, _, _) = error as? APIError else { return false }
            return status.reason == "TooManyRequests" && status.message == "slow down"
        }
        #expect(calls.seen == 3, "the first try and two retries")
    }

    @Test(arguments: Kind.allCases)
    func a401ReReadsTheTokenFileAndRetriesOnce(kind: Kind) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-retry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }  // a leftover temporary folder is harmless
        let path = dir + "/token"
        try "token".write(toFile: path, atomically: false, encoding: .utf8)
        let token = TokenSource.file(path, maximumAge: .seconds(3600))
        _ = try token.token()
        let before = token.reloadCount

        let calls = Calls()
        let once = try Self.server([(401, Self.unauthorized, [])], calls: calls)
        #expect(try await Self.fetch(kind, KubeClient(config: once.clusterConfig(token: token))) == "a")
        #expect(calls.seen == 2)
        #expect(token.reloadCount > before, "the 401 made the client read the file again")

        calls.reset()
        let never = try Self.server([], accepting: "another token", calls: calls)
        await #expect { _ = try await Self.fetch(kind, KubeClient(config: never.clusterConfig(token: token))) } throws: { error in
            (error as? APIError)?.isUnauthorized == true
        }
        #expect(calls.seen == 2, "one retry, then the 401 reaches the caller")
    }
}
