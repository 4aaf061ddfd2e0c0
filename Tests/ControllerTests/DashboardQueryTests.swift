import Foundation
import Testing
import TestSupport
import Transport

/// Every query of the Grafana dashboard, evaluated by a real Prometheus (Debian's, started here on
/// loopback, scraping every second) against a controller run on the simulated cluster: each
/// returns data. The cluster has something for every panel: an expired ReplicationController
/// whose PodDisruptionBudget refuses every eviction (evictions, 429s), an at-risk Deployment
/// (a restart), one in a closed maintenance window (a deferral), one past its deadline before
/// its window (a forecast miss) and an audit event on the webhook (evidence).
@Suite(.serialized) struct DashboardQueryTests {
    static let prometheus = DeployTools.which("prometheus")

    @Test("Every dashboard panel's query returns data from a real Prometheus",
          .enabled(if: DashboardQueryTests.prometheus != nil, "prometheus not installed (Debian's prometheus package): skipped"))
    func everyPanelQueryReturnsData() async throws {
        let dashboard = try DashboardDocument.load()
        let closedWindow = Self.windowHours(from: 6)
        let harness = try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("legacy")
            s.replicationController("legacy", "billing", replicas: 2, ageDays: 370)
            s.podDisruptionBudget("legacy", "billing", app: "billing", minAvailable: 2, currentHealthy: 2)
            s.namespace("shop")
            s.deployment("shop", "checkout", replicas: 1, ageDays: 345)
            s.namespace("payments", annotations: ["token-warden.dev/maintenance-window": closedWindow])
            s.deployment("payments", "ledger", replicas: 1, ageDays: 350)
            s.namespace("archive", annotations: ["token-warden.dev/maintenance-window": Self.windowInThreeDays()])
            s.deployment("archive", "archive", replicas: 1, ageDays: 364)
        }
        defer { harness.stop() }
        let credentials = try WebhookCredentials()
        let runtime = try ObservabilityEndToEndTests.endpointRuntime(harness, mode: .restart, auditWebhook: credentials, maxConcurrent: 2)
        let replica = try harness.start(runtime)
        #expect(try await harness.wait {
            runtime.health.isReady && runtime.endpoints.map { $0.port > 0 } == true && runtime.auditWebhook.map { $0.port > 0 } == true
        })
        let controllerPort = try #require(runtime.endpoints?.port)
        let webhookPort = try #require(runtime.auditWebhook?.port)
        let posted = try await CurlTransport(tls: credentials.clientTLS(presenting: credentials.client)).send(TransportRequest(
            method: "POST", url: "https://127.0.0.1:\(webhookPort)/audit", headers: [("Content-Type", "application/json")],
            body: Array(Self.auditBatch.utf8)))
        #expect(posted.status == 200)

        let server = try PrometheusServer(binary: try #require(Self.prometheus), scrapeTarget: "127.0.0.1:\(controllerPort)")
        defer { server.stop() }
        #expect(try await server.waitUntilReady(seconds: 20), "prometheus did not become ready")

        // Two scrapes are enough for increase()/rate() over 15 s; retry until every query answers.
        var empty: [DashboardDocument.Query] = dashboard.queries
        let deadline = ContinuousClock.now + .seconds(30)
        while !empty.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            var still: [DashboardDocument.Query] = []
            for query in empty where try await server.query(query.resolved(rateInterval: "15s")).isEmpty {
                still.append(query)
            }
            empty = still
        }
        await replica.stop()
        #expect(empty.isEmpty, "queries that returned no data: \(empty.map(\.description))")
        #expect(Set(dashboard.queries.map(\.panel)).count == dashboard.panelTitles.count, "every panel has a query")
    }

    /// A daily one-hour window starting `hours` from now (UTC): closed while the test runs.
    static func windowHours(from hours: Int) -> String {
        let start = Calendar.current.dateComponents(in: TimeZone(identifier: "UTC")!, from: Date().addingTimeInterval(Double(hours) * 3600)).hour ?? 0
        return String(format: "%02d:00-%02d:00 UTC", start, (start + 1) % 24)
    }

    /// An hour on the weekday three days from now: after a deadline one day away.
    static func windowInThreeDays() -> String {
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let weekday = Calendar.current.dateComponents(in: TimeZone(identifier: "UTC")!, from: Date().addingTimeInterval(3 * 86_400)).weekday ?? 1
        return "\(names[weekday - 1]) 03:00-04:00 UTC"
    }

    static var auditBatch: String {
        let micro = ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970)
        return #"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/configmaps","verb":"list","user":{"username":"system:serviceaccount:shop:default","groups":["system:serviceaccounts"]},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"\#(micro)","stageTimestamp":"\#(micro)"}]}"#
    }
}

/// A Prometheus server on a free loopback port, scraping one target every second, with its
/// data in a temporary directory removed by `stop()`.
final class PrometheusServer: @unchecked Sendable {
    let port: Int
    private let directory: URL
    private let process: ChildProcess

    init(binary: String, scrapeTarget: String) throws {
        directory = try SimServer.temporaryDirectory("prometheus")
        port = try Self.freeLoopbackPort()
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: token-warden
                static_configs:
                  - targets: ["\(scrapeTarget)"]
            """
        let configFile = directory.appendingPathComponent("prometheus.yml")
        try Data(config.utf8).write(to: configFile)
        process = try ChildProcess(binary, [
            "--config.file=\(configFile.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ], errorOutput: .discard)
    }

    func stop() {
        process.signal(SIGTERM)
        _ = process.finish(timeoutSeconds: 10)
        do {
            try FileManager.default.removeItem(at: directory)
        } catch {
            Issue.record("could not remove \(directory.path): \(error)")
        }
    }

    func waitUntilReady(seconds: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            do {
                if try await CurlTransport().send(TransportRequest(url: "http://127.0.0.1:\(port)/-/ready")).status == 200 { return true }
            } catch {
                // Not listening yet: try again.
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// The result vector of an instant query (empty: no data). A query Prometheus rejects throws.
    func query(_ promQL: String) async throws -> [Any] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: allowed) ?? promQL
        let response = try await CurlTransport().send(TransportRequest(url: "http://127.0.0.1:\(port)/api/v1/query?query=\(encoded)"))
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard response.status == 200, body?["status"] as? String == "success" else {
            throw DeployToolError.failed(command: "query \(promQL)", status: Int32(response.status), stderr: String(decoding: response.body, as: UTF8.self))
        }
        return (body?["data"] as? [String: Any])?["result"] as? [Any] ?? []
    }

    /// A port the kernel just handed out on 127.0.0.1 (and that nothing listens on now).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcess.SpawnError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ChildProcess.SpawnError(description: "bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
