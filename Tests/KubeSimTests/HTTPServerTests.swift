import Foundation
import HTTPServer
import Testing

@Suite("HTTPServer")
struct HTTPServerTests {
    static let curl = "/usr/bin/curl"

    /// Echoes method, path, query and body; `/stream` answers with three chunks; `/drop` aborts.
    static func echoServer(tls: TLSIdentity? = nil, clientCA: String? = nil) throws -> HTTPServer {
        let server = HTTPServer(tls: tls, clientCertificateAuthorityPEM: clientCA) { request, writer in
            switch request.path {
            case "/stream":
                writer.startStream(status: 200, headers: [("Content-Type", "application/json")])
                for i in 1...3 { writer.writeChunk(Array("{\"n\":\(i)}\n".utf8)) }
                writer.endStream()
            case "/drop":
                writer.startStream(status: 200, headers: [])
                writer.writeChunk(Array("partial\n".utf8))
                writer.abortConnection()
            default:
                let query = request.queryItems.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
                let text = "\(request.method) \(request.path) \(query) \(request.body.count) "
                    + "\(request.clientCertificateCommonName ?? "-") \(String(decoding: request.body.prefix(16), as: UTF8.self))"
                writer.respond(status: 200, headers: [("Content-Type", "text/plain")], body: Array(text.utf8))
            }
        }
        try server.start()
        return server
    }

    @Test func parsesQueryAndPercentEncoding() {
        let request = HTTPRequest(method: "GET", target: "/api/v1/name%20x?labelSelector=a%3Db%2Cc+in+(x)&watch=1&watch=2")
        #expect(request.path == "/api/v1/name x")
        #expect(request.query("labelSelector") == "a=b,c in (x)")
        #expect(request.query("watch") == "1")
        #expect(request.queryItems.count == 3)
    }

    @Test func formatsHTTPDate() {
        #expect(HTTPDate.format(secondsSince1970: 1_795_460_140) == "Mon, 23 Nov 2026 18:55:40 GMT")
    }

    @Test func plainRequestsKeepAliveAndBodies() throws {
        guard CommandRunner.exists(Self.curl) else { return }
        let server = try Self.echoServer()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        // Two requests over one connection (keep-alive), a chunked request body, Expect: 100-continue.
        let result = try CommandRunner.run(Self.curl, [
            "-sS", "-D", "-", "\(base)/a?x=1", "\(base)/b",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("GET /a x=1 0"))
        #expect(result.stdout.contains("GET /b  0"))
        #expect(result.stdout.contains("Date: "))
        #expect(result.stderr.isEmpty)
        let chunked = try CommandRunner.run(Self.curl, [
            "-sS", "-X", "POST", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", "\(base)/post",
        ], stdin: String(repeating: "x", count: 100_000))
        #expect(chunked.stdout.hasPrefix("POST /post  100000 - xxxx"))
        let expect = try CommandRunner.run(Self.curl, [
            "-sS", "-H", "Expect: 100-continue", "--data-binary", "@-", "\(base)/put",
        ], stdin: "hello")
        #expect(expect.stdout.hasPrefix("POST /put  5 - hello"))
    }

    @Test func streamsChunksAndAborts() throws {
        guard CommandRunner.exists(Self.curl) else { return }
        let server = try Self.echoServer()
        defer { server.stop() }
        let stream = try CommandRunner.run(Self.curl, ["-sS", "--raw", "http://127.0.0.1:\(server.port)/stream"])
        #expect(stream.stdout == "8\r\n{\"n\":1}\n\r\n8\r\n{\"n\":2}\n\r\n8\r\n{\"n\":3}\n\r\n0\r\n\r\n")
        let dropped = try CommandRunner.run(Self.curl, ["-sS", "http://127.0.0.1:\(server.port)/drop"])
        #expect(dropped.status != 0)  // curl: transfer closed with outstanding read data remaining
        #expect(dropped.stdout == "partial\n")
    }

    @Test func servesTLSWithALPNHTTP11AndClientCertificates() throws {
        guard CommandRunner.exists(Self.curl) else { return }
        let authority = try CertificateAuthority.generate(commonName: "test-ca")
        let identity = try authority.issueServerIdentity(hosts: ["127.0.0.1", "localhost"])
        let client = try authority.issueClientIdentity(commonName: "jane", organizations: ["system:masters"])
        let server = try Self.echoServer(tls: identity, clientCA: authority.certificatePEM)
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("httpserver-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }  // best-effort cleanup of a temp dir
        let caPath = directory.appendingPathComponent("ca.crt").path
        let certPath = directory.appendingPathComponent("client.crt").path
        let keyPath = directory.appendingPathComponent("client.key").path
        try authority.certificatePEM.write(toFile: caPath, atomically: true, encoding: .utf8)
        try client.certificatePEM.write(toFile: certPath, atomically: true, encoding: .utf8)
        try client.privateKeyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        for host in ["127.0.0.1", "localhost"] {
            let result = try CommandRunner.run(Self.curl, [
                "-sS", "--http2", "--cacert", caPath, "-w", " http=%{http_version}", "https://\(host):\(server.port)/x",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "GET /x  0 -  http=1.1")
        }
        let withCert = try CommandRunner.run(Self.curl, [
            "-sS", "--cacert", caPath, "--cert", certPath, "--key", keyPath, "https://127.0.0.1:\(server.port)/me",
        ])
        #expect(withCert.stdout == "GET /me  0 jane ")
        // An untrusted client must not get through with verification on.
        let untrusted = try CommandRunner.run(Self.curl, ["-sS", "https://127.0.0.1:\(server.port)/x"])
        #expect(untrusted.status != 0)
    }

    @Test func stopClosesOpenConnectionsAndIsIdempotent() throws {
        let server = HTTPServer { _, writer in
            writer.startStream(status: 200, headers: [])
            while !writer.isClosed { usleep(5_000) }
        }
        try server.start()
        let port = server.port
        #expect(port > 0)
        guard CommandRunner.exists(Self.curl) else { server.stop(); return }
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? CommandRunner.run(Self.curl, ["-sS", "http://127.0.0.1:\(port)/watch"])  // outcome checked via the semaphore
            done.signal()
        }.start()
        var waited = 0
        while server.connectionCount == 0 && waited < 500 { usleep(10_000); waited += 1 }
        server.stop()
        server.stop()
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test func reportsAPortInUse() throws {
        let first = HTTPServer { _, writer in writer.respond(status: 204, headers: [], body: []) }
        try first.start()
        defer { first.stop() }
        let second = HTTPServer(port: first.port) { _, writer in writer.respond(status: 204, headers: [], body: []) }
        #expect(throws: HTTPServerError.self) { try second.start() }
    }
}
