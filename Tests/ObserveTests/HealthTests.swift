import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
@testable import Observe

@Suite struct HealthTests {
    final class ManualClock: Sendable {
        let now = Mutex<Double>(1_000)
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
        var read: @Sendable () -> Double { { [self] in now.withLock { $0 } } }
    }

    @Test func readinessFlipsWithChecks() {
        let clock = ManualClock()
        let health = HealthState(apiReachabilityWindow: 120, clock: clock.read)
        let routes = ObservabilityRoutes(health: health, metrics: WardenMetrics())

        var response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz"))
        #expect(response.status == 503)
        #expect(response.bodyText == """
            [-]caches-synced failed: watch caches have not synced
            [-]token-readable failed: token not read yet
            [-]api-reachable failed: no successful API request yet
            readyz check failed

            """)

        health.setCachesSynced(true)
        health.setTokenReadable(true)
        health.recordAPISuccess()
        response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz"))
        #expect(response.status == 200)
        #expect(response.bodyText == "[+]caches-synced ok\n[+]token-readable ok\n[+]api-reachable ok\nreadyz check passed\n")

        clock.advance(121)
        health.recordAPIFailure("connection refused")
        response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz"))
        #expect(response.status == 503)
        #expect(response.bodyText.contains("[-]api-reachable failed: no successful API request in the last 120s (last failure: connection refused)"))

        response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz", queryItems: [("exclude", "api-reachable")]))
        #expect(response.status == 200)
        #expect(response.bodyText.contains("[+]api-reachable excluded: ok"))

        // The evidence source is reported without failing readiness.
        health.setEvidenceSource(problem: "no authenticated audit batch for 31m")
        response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz", queryItems: [("exclude", "api-reachable")]))
        #expect(response.status == 200)
        #expect(response.bodyText.contains("[-]evidence-source failed (not counted for readiness): no authenticated audit batch for 31m"))
        health.setEvidenceSource(problem: nil)
        response = routes.respond(to: EndpointRequest(method: "GET", path: "/readyz", queryItems: [("exclude", "api-reachable")]))
        #expect(response.bodyText.contains("[+]evidence-source ok"))

        // Liveness does not depend on readiness.
        #expect(routes.respond(to: EndpointRequest(method: "GET", path: "/healthz")).status == 200)
    }

    @Test func routing() {
        let routes = ObservabilityRoutes(health: HealthState(), metrics: WardenMetrics())
        #expect(routes.respond(to: EndpointRequest(method: "POST", path: "/audit")).status == 404)
        #expect(routes.respond(to: EndpointRequest(method: "GET", path: "/nope")).status == 404)
        #expect(routes.respond(to: EndpointRequest(method: "POST", path: "/metrics")).status == 405)
        let metrics = routes.respond(to: EndpointRequest(method: "GET", path: "/metrics"))
        #expect(metrics.headers.contains { $0.0 == "Content-Type" && $0.1.hasPrefix("text/plain; version=0.0.4") })
        #expect(metrics.bodyText.contains("token_warden_leader 0"))
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress.parse("0.0.0.0:8080") == ("0.0.0.0", 8080))
        #expect(try ListenAddress.parse(":9090") == ("0.0.0.0", 9090))
        #expect(try ListenAddress.parse("[::1]:0") == ("::1", 0))
        #expect(throws: ListenAddressError.self) { try ListenAddress.parse("localhost") }
        #expect(throws: ListenAddressError.self) { try ListenAddress.parse("host:99999") }
    }

    @Test func serverAnswersOverLoopback() throws {
        let health = HealthState()
        let metrics = WardenMetrics()
        let server = ObservabilityServer(
            host: "127.0.0.1", port: 0, routes: ObservabilityRoutes(health: health, metrics: metrics), logger: Logger(label: "test"))
        try server.start()
        defer { server.stop() }

        var reply = try LoopbackHTTP.request(port: server.port, method: "GET", path: "/readyz")
        #expect(reply.status == 503)
        health.setCachesSynced(true)
        health.setTokenReadable(true)
        health.recordAPISuccess()
        reply = try LoopbackHTTP.request(port: server.port, method: "GET", path: "/readyz")
        #expect(reply.status == 200)
        #expect(reply.body.hasSuffix("readyz check passed\n"))

        metrics.setPodCounts([.atRisk: 7])
        reply = try LoopbackHTTP.request(port: server.port, method: "GET", path: "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(reply.body.contains(#"token_warden_pods{classification="at_risk"} 7"#))

        // Audit batches are not taken here: only on the webhook's authenticated TLS listener.
        let body = try Fixtures.golden("audit/webhook-eventlist-with-stale-token.json")
        reply = try LoopbackHTTP.request(
            port: server.port, method: "POST", path: "/audit?timeout=30s", body: Array(body),
            headers: ["Content-Type": "application/json"])
        #expect(reply.status == 404)
    }
}
