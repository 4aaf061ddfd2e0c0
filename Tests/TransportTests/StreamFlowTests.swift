import Foundation
import HTTPServer
import Synchronization
import Testing
import TestSupport
@testable import Transport

/// A streamed response whose consumer is slower than the network: with `flowControlBytes` the
/// transfer is paused while that much waits (the server's writes block), and every byte still
/// arrives, in order, once the consumer reads.
@Suite struct StreamFlowTests {
    static let chunkSize = 64 << 10
    static let chunks = 512  // 32 MiB: well past loopback socket buffers

    /// A server streaming `chunks` chunks of `chunkSize` bytes (chunk i filled with i % 251),
    /// counting the chunks its blocking writes have handed to the socket.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    static func server(written: Counter) throws -> TLSTestServer {
        try TLSTestServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "application/octet-stream")])
            for i in 0..<chunks {
                guard writer.writeChunk([UInt8](repeating: UInt8(i % 251), count: chunkSize)) else { return }
                written.value.add(1, ordering: .relaxed)
            }
            writer.endStream()
        }
    }

    /// Waits before reading (`idle` seconds, or until the server has written everything), then
    /// reads everything; the chunks written meanwhile and whether every byte arrived in order.
    static func run(flowControlBytes: Int?, idle: Double) async throws -> (writtenBeforeReading: Int, intact: Bool) {
        let written = Counter()
        let server = try server(written: written)
        let transport = CurlTransport(tls: server.tls)
        let stream = try await transport.stream(TransportRequest(
            url: server.url + "/big", timeoutSeconds: nil, stallTimeoutSeconds: 60, flowControlBytes: flowControlBytes))
        let idleStart = ContinuousClock.now
        while ContinuousClock.now - idleStart < .seconds(idle), written.value.load(ordering: .relaxed) < chunks {
            try await Task.sleep(for: .milliseconds(50))
        }
        let before = written.value.load(ordering: .relaxed)
        var offset = 0
        var intact = true
        for try await chunk in stream.body {
            for byte in chunk where intact {
                if byte != UInt8((offset / chunkSize) % 251) { intact = false }
                offset += 1
            }
            stream.consumed(chunk.count)
        }
        return (before, intact && offset == chunkSize * chunks)
    }

    @Test func aSlowConsumerPausesTheTransferAndLosesNothing() async throws {
        let (before, intact) = try await Self.run(flowControlBytes: 256 << 10, idle: 1.5)
        #expect(intact)
        // 256 KiB waiting, plus what the kernel's socket buffers hold; far from all 32 MiB.
        #expect(before < Self.chunks / 2, "\(before) of \(Self.chunks) chunks were written before anything was read")
    }

    /// The control: without flow control libcurl reads the whole response into memory at once.
    @Test func withoutFlowControlTheWholeResponseWaitsInMemory() async throws {
        let (before, intact) = try await Self.run(flowControlBytes: nil, idle: 20)  // ends once all is written
        #expect(intact)
        #expect(before == Self.chunks)
    }

    @Test func admitsUntilTheLimitAndResumesAtHalf() {
        let flow = StreamFlow(limit: 100)
        #expect(flow.admit(150))  // nothing waits: always admitted, whatever its size
        #expect(!flow.admit(1))   // paused
        #expect(!flow.taken(60))  // 90 wait: above half
        #expect(flow.taken(50))   // 40 wait: resume
        #expect(!flow.taken(0))   // resumed once
        #expect(flow.admit(60))
        #expect(!flow.admit(1))
    }
}
