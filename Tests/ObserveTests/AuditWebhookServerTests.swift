import Foundation
import HTTPServer
import Logging
import Testing
import TestSupport
import Transport
@testable import Evidence
@testable import Observe

/// The audit webhook over real TLS and libcurl: only authenticated batches are recorded.
@Suite(.serialized) struct AuditWebhookServerTests {
    static let staleUID = "460651b8-d445-4da7-8b5b-66c269fb6a50"

    struct Running {
        let credentials: WebhookCredentials
        let server: AuditWebhookServer
        let store: StaleTokenEvidenceStore
        let metrics: WardenMetrics
        var url: String { "https://127.0.0.1:\(server.port)/audit?timeout=30s" }

        func post(_ body: [UInt8], tls: TLSSettings, token: String? = nil) async throws -> TransportResponse {
            // A new connection each time: a rotated server certificate is seen at the next handshake.
            var headers = [("Content-Type", "application/json"), ("Connection", "close")]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            return try await CurlTransport(tls: tls).send(TransportRequest(method: "POST", url: url, headers: headers, body: body))
        }

        func counted(_ result: WebhookRequestResult) -> Double? {
            let series = #"token_warden_audit_webhook_requests_total{result="\#(result.rawValue)"}"#
            return String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
        }
    }

    static func start(clientCA: Bool = true, token: Bool = true, maxBodyBytes: Int = AuditWebhookSettings.defaultMaxBodyBytes) throws -> Running {
        let credentials = try WebhookCredentials()
        let store = StaleTokenEvidenceStore()
        let metrics = WardenMetrics()
        let receiver = AuditWebhookReceiver(store: store, metrics: metrics, logger: Logger(label: "test"))
        let server = try AuditWebhookServer(
            settings: AuditWebhookSettings(
                address: "127.0.0.1:0", certificateFile: credentials.certificateFile, privateKeyFile: credentials.privateKeyFile,
                clientCAFile: clientCA ? credentials.clientCAFile : nil, tokenFile: token ? credentials.tokenFile : nil,
                maxBodyBytes: maxBodyBytes),
            receiver: receiver, metrics: metrics, logger: Logger(label: "test"))
        try server.start()
        return Running(credentials: credentials, server: server, store: store, metrics: metrics)
    }

    static func batch() throws -> [UInt8] { Array(try Fixtures.golden("audit/webhook-eventlist-with-stale-token.json")) }

    @Test func aValidClientCertificateIsRecorded() async throws {
        let webhook = try Self.start()
        defer { webhook.server.stop() }
        let reply = try await webhook.post(try Self.batch(), tls: webhook.credentials.clientTLS(presenting: webhook.credentials.client))
        #expect(reply.status == 200)
        #expect(webhook.store.isConfirmedStale(podUID: Self.staleUID))
        #expect(webhook.counted(.accepted) == 1)
    }

    @Test func aValidTokenIsRecorded() async throws {
        let webhook = try Self.start()
        defer { webhook.server.stop() }
        let reply = try await webhook.post(try Self.batch(), tls: webhook.credentials.clientTLS(), token: webhook.credentials.token)
        #expect(reply.status == 200)
        #expect(webhook.store.isConfirmedStale(podUID: Self.staleUID))
    }

    @Test func withoutValidCredentialsNothingIsRecorded() async throws {
        let webhook = try Self.start()
        defer { webhook.server.stop() }
        let credentials = webhook.credentials
        let otherCA = try CertificateAuthority.generate(commonName: "someone-else")
        let forged = try otherCA.issueClientIdentity(commonName: "kube-apiserver", organizations: [])
        let attempts: [(TLSSettings, String?, WebhookRequestResult)] = [
            (credentials.clientTLS(), nil, .missingCredentials),
            (credentials.clientTLS(presenting: forged), nil, .untrustedCertificate),
            (credentials.clientTLS(), "wrong", .invalidToken),
            (credentials.clientTLS(), "", .invalidToken),
            (credentials.clientTLS(), credentials.token + "x", .invalidToken),
        ]
        for (tls, token, reason) in attempts {
            let reply = try await webhook.post(try Self.batch(), tls: tls, token: token)
            #expect(reply.status == 401, "\(reason)")
            let status = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            #expect(status?["kind"] as? String == "Status")
            #expect(status?["reason"] as? String == "Unauthorized")
            #expect(status?["code"] as? Int == 401)
        }
        #expect(webhook.store.snapshot().isEmpty)
        #expect(webhook.counted(.missingCredentials) == 1)
        #expect(webhook.counted(.untrustedCertificate) == 1)
        #expect(webhook.counted(.invalidToken) == 3)
        #expect(webhook.counted(.accepted) == 0)
    }

    /// A client certificate is worth nothing without a client CA, a token nothing without a token file.
    @Test func onlyTheConfiguredWayAuthenticates() async throws {
        let tokenOnly = try Self.start(clientCA: false)
        defer { tokenOnly.server.stop() }
        var reply = try await tokenOnly.post(try Self.batch(), tls: tokenOnly.credentials.clientTLS(presenting: tokenOnly.credentials.client))
        #expect(reply.status == 401)
        let certificateOnly = try Self.start(token: false)
        defer { certificateOnly.server.stop() }
        reply = try await certificateOnly.post(try Self.batch(), tls: certificateOnly.credentials.clientTLS(), token: certificateOnly.credentials.token)
        #expect(reply.status == 401)
        #expect(tokenOnly.store.snapshot().isEmpty && certificateOnly.store.snapshot().isEmpty)
    }

    @Test func filesRotatedOnDiskAreUsedWithoutARestart() async throws {
        let webhook = try Self.start()
        defer { webhook.server.stop() }
        let credentials = webhook.credentials
        let oldToken = credentials.token
        try credentials.rotateToken()
        #expect(try await webhook.post(try Self.batch(), tls: credentials.clientTLS(), token: oldToken).status == 401)
        #expect(try await webhook.post(try Self.batch(), tls: credentials.clientTLS(), token: credentials.token).status == 200)

        let oldClient = credentials.client
        let oldServerTLS = credentials.clientTLS()
        try credentials.rotateServingCertificate()
        try credentials.rotateClientCA()
        #expect(webhook.server.reloadIfChanged())
        #expect(!webhook.server.reloadIfChanged())  // nothing changed since
        // The new serving certificate is presented: a client trusting only the old CA fails the handshake.
        await #expect(throws: TransportError.self) { _ = try await webhook.post(try Self.batch(), tls: oldServerTLS, token: credentials.token) }
        #expect(try await webhook.post(try Self.batch(), tls: credentials.clientTLS(presenting: oldClient)).status == 401)
        #expect(try await webhook.post(try Self.batch(), tls: credentials.clientTLS(presenting: credentials.client)).status == 200)
    }

    @Test func anOversizeBodyIs413() async throws {
        #expect(AuditWebhookSettings.defaultMaxBodyBytes == 16 << 20)
        let webhook = try Self.start(maxBodyBytes: 64 << 10)
        defer { webhook.server.stop() }
        let body = Array(repeating: UInt8(ascii: " "), count: 65 << 10)
        let reply = try await webhook.post(body, tls: webhook.credentials.clientTLS(), token: webhook.credentials.token)
        #expect(reply.status == 413)
        #expect(webhook.store.snapshot().isEmpty)
        // Credentials are checked on the head: without them the body is not even read (401, not 413).
        let unauthenticated = try await webhook.post(Array(repeating: UInt8(ascii: " "), count: 2 << 20), tls: webhook.credentials.clientTLS())
        #expect(unauthenticated.status == 401)
        #expect(webhook.counted(.missingCredentials) == 1)
    }

    /// A stale-token annotation counts only on the ServiceAccount's own request.
    @Test func onlyServiceAccountUsersCount() throws {
        var text = String(decoding: try Self.batch(), as: UTF8.self)
        text = text.replacingOccurrences(of: #""username":"system:serviceaccount:auditdemo:legacy-app""#, with: #""username":"jane""#)
        let batch = try AuditWebhookReceiver.parse(body: Array(text.utf8))
        #expect(batch.staleTokens.isEmpty)
        #expect(batch.notServiceAccount == 1)
        #expect(try AuditWebhookReceiver.parse(body: try Self.batch()).staleTokens.count == 1)
    }

    @Test func evidenceForAPodNotInTheCacheIsDropped() throws {
        let store = StaleTokenEvidenceStore()
        let metrics = WardenMetrics()
        let receiver = AuditWebhookReceiver(store: store, metrics: metrics, logger: Logger(label: "test"), podIsKnown: { _ in false })
        #expect(receiver.receive(body: try Self.batch(), contentType: "application/json").status == 200)
        #expect(store.snapshot().isEmpty)
        #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains(#"token_warden_audit_events_dropped_total{reason="unknown_pod"} 1"#))
    }

    @Test func settingsNeedTLSAndAWayToAuthenticate() {
        #expect(throws: AuditWebhookSettingsError.noAuthentication) {
            try AuditWebhookSettings(certificateFile: "c", privateKeyFile: "k").validate()
        }
        #expect(throws: AuditWebhookSettingsError.noTLS) { try AuditWebhookSettings(tokenFile: "t").validate() }
        #expect(throws: Never.self) { try AuditWebhookSettings(certificateFile: "c", privateKeyFile: "k", clientCAFile: "ca").validate() }
    }

    @Test func rejectionsAreLoggedOnceAMinutePerSource() {
        let limiter = RejectionLogLimiter(intervalSeconds: 60, capacity: 2)
        #expect(limiter.shouldLog(source: "10.0.0.1", now: 0))
        #expect(!limiter.shouldLog(source: "10.0.0.1", now: 59))
        #expect(limiter.shouldLog(source: "10.0.0.2", now: 59))
        #expect(limiter.shouldLog(source: "10.0.0.1", now: 61))
        #expect(limiter.shouldLog(source: "10.0.0.3", now: 62))  // over capacity: the oldest is forgotten
    }

    @Test func bearerTokensAreParsedAsTheAPIServerDoes() {
        #expect(AuditWebhookAuthenticator.bearerToken("Bearer abc") == "abc")
        #expect(AuditWebhookAuthenticator.bearerToken("bearer abc ") == "abc")
        #expect(AuditWebhookAuthenticator.bearerToken("Basic abc") == "")
        #expect(AuditWebhookAuthenticator.bearerToken(nil) == nil)
        #expect(AuditWebhookAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!AuditWebhookAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
    }
}
