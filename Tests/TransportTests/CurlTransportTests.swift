import Foundation
import HTTPServer
import Synchronization
import Testing
import TestSupport
@testable import Transport

@Suite struct CurlTransportTests {
    @Test func getAndPostOverVerifiedTLS() async throws {
        let server = try TLSTestServer { request, writer in
            let body = request.method == "POST" ? request.body : Array("hello \(request.path)".utf8)
            writer.respond(status: 200, headers: [("Content-Type", "text/plain"), ("X-Method", request.method)], body: body)
        }
        let transport = CurlTransport(tls: server.tls)
        let get = try await transport.send(TransportRequest(url: server.url + "/a/b"))
        #expect(get.status == 200)
        #expect(String(decoding: get.body, as: UTF8.self) == "hello /a/b")
        #expect(get.head.header("x-method") == "GET")

        let payload = Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let post = try await transport.send(TransportRequest(method: "POST", url: server.url + "/echo", body: payload))
        #expect(post.body == payload)
        #expect(post.head.header("X-Method") == "POST")

        let patch = try await transport.send(TransportRequest(method: "PATCH", url: server.url + "/p", body: Array("{}".utf8)))
        #expect(patch.head.header("X-Method") == "PATCH")
    }

    @Test func manyConcurrentRequests() async throws {
        let server = try TLSTestServer { request, writer in
            writer.respond(status: 200, headers: [], body: Array(request.path.utf8))
        }
        let transport = CurlTransport(tls: server.tls)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let response = try await transport.send(TransportRequest(url: server.url + "/n/\(i)"))
                    #expect(String(decoding: response.body, as: UTF8.self) == "/n/\(i)")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func untrustedCertificateIsAClearError() async throws {
        let server = try TLSTestServer { _, writer in writer.respond(status: 200, headers: [], body: []) }
        let otherCA = try CertificateAuthority.generate(commonName: "someone-else")
        let transport = CurlTransport(tls: TLSSettings(certificateAuthority: .pem(Array(otherCA.certificatePEM.utf8))))
        await #expect { try await transport.send(TransportRequest(url: server.url + "/")) } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.kind == .tlsVerificationFailed && error.message.contains("could not be verified")
        }
    }

    /// Responses received through one `ReceiveBuffer` share one allocation: each body arrives in
    /// the memory the previous one was handed back in, intact, and a larger one grows it.
    @Test func responsesReuseTheReceiveBuffer() async throws {
        let server = try TLSTestServer { request, writer in
            let size = Int(request.path.split(separator: "/").last ?? "") ?? 0
            writer.respond(status: 200, headers: [], body: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        }
        let transport = CurlTransport(tls: server.tls)
        let buffer = ReceiveBuffer(maximumRetainedBytes: 1 << 20)
        var first = try await transport.send(TransportRequest(url: server.url + "/size/300000", receiveBuffer: buffer))
        #expect(first.body == (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let address = first.body.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        buffer.keep(&first.body)
        #expect(first.body.isEmpty)
        #expect(buffer.keptCapacity >= 300_000)

        var second = try await transport.send(TransportRequest(url: server.url + "/size/250000", receiveBuffer: buffer))
        #expect(second.body == (0..<250_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(second.body.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == address, "received into the kept allocation")
        #expect(buffer.keptCapacity == 0, "lent out while in use")
        buffer.keep(&second.body)

        // Above the limit the allocation is let go, not kept.
        var large = try await transport.send(TransportRequest(url: server.url + "/size/1500000", receiveBuffer: buffer))
        #expect(large.body.count == 1_500_000)
        buffer.keep(&large.body)
        #expect(buffer.keptCapacity == 0)
        #expect(large.body.isEmpty)
    }

    @Test func unreadableCAFileIsAClearError() async throws {
        let server = try TLSTestServer { _, writer in writer.respond(status: 200, headers: [], body: []) }
        let transport = CurlTransport(tls: TLSSettings(certificateAuthority: .file("/nonexistent/ca.crt")))
        await #expect { try await transport.send(TransportRequest(url: server.url + "/")) } throws: { error in
            (error as? TransportError)?.kind == .tlsSetupFailed
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        let server = try TLSTestServer { _, writer in writer.respond(status: 200, headers: [], body: []) }
        let url = server.url
        server.stop()
        let transport = CurlTransport(tls: server.tls)
        await #expect { try await transport.send(TransportRequest(url: url + "/")) } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.kind == .couldNotConnect && error.isTransient
        }
    }

    @Test func streamDeliversChunksAsTheyArrive() async throws {
        let server = try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
            for piece in ["{\"a\"", ":1}\n{\"b\":", "2}\n"] {
                writer.writeChunk(Array(piece.utf8))
                usleep(20_000)
            }
            writer.endStream()
        }
        let transport = CurlTransport(tls: server.tls)
        let stream = try await transport.stream(TransportRequest(url: server.url + "/watch", timeoutSeconds: nil))
        #expect(stream.head.status == 200)
        var received: [UInt8] = []
        for try await chunk in stream.body { received += chunk }
        #expect(String(decoding: received, as: UTF8.self) == "{\"a\":1}\n{\"b\":2}\n")
    }

    @Test func droppedStreamThrowsConnectionLost() async throws {
        let server = try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [])
            writer.writeChunk(Array("{\"partial\":".utf8))
            usleep(20_000)
            writer.abortConnection()
        }
        let transport = CurlTransport(tls: server.tls)
        let stream = try await transport.stream(TransportRequest(url: server.url + "/watch", timeoutSeconds: nil))
        await #expect { for try await _ in stream.body {} } throws: { error in
            (error as? TransportError)?.kind == .connectionLost
        }
    }

    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        let streaming = Atomic<Bool>(false)
        let closed = Atomic<Bool>(false)
        let server = try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [])
            streaming.store(true, ordering: .relaxed)
            // A watch that never ends on its own: write until the client goes away.
            while writer.writeChunk(Array("{}\n".utf8)) { usleep(10_000) }
            closed.store(true, ordering: .relaxed)
        }
        let transport = CurlTransport(tls: server.tls)
        let task = Task {
            let stream = try await transport.stream(TransportRequest(url: server.url + "/watch", timeoutSeconds: nil))
            var count = 0
            for try await _ in stream.body { count += 1 }
            return count
        }
        for _ in 0..<1000 where !streaming.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        _ = await task.result  // ends with cancellation; what matters is that the transfer stops
        // The server notices the closed connection on its next write.
        for _ in 0..<1000 where !closed.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        let serverSawClose = closed.load(ordering: .relaxed)
        #expect(serverSawClose)
    }

    @Test func stalledStreamIsDetected() async throws {
        let server = try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [])
            writer.writeChunk(Array("{}\n".utf8))
            while !writer.isClosed { usleep(50_000) }  // then silence
        }
        let transport = CurlTransport(tls: server.tls)
        let stream = try await transport.stream(
            TransportRequest(url: server.url + "/watch", timeoutSeconds: nil, stallTimeoutSeconds: 1))
        await #expect { for try await _ in stream.body {} } throws: { error in
            (error as? TransportError)?.kind == .timedOut
        }
    }
}
