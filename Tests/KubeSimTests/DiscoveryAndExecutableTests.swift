import Foundation
import KubeSim
import Testing
import TestSupport

/// Discovery agrees with the real API server for every resource served; the executable starts,
/// says `ready`, serves, and stops on SIGTERM.
@Suite("Discovery and kube-sim")
struct DiscoveryAndExecutableTests {
    static func golden(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Fixtures.golden("discovery/\(name).json")))
    }

    @Test func resourceListsMatchTheGoldenOnes() throws {
        let sim = try SimServer.start(tls: false)
        defer { sim.stop() }
        let client = try RawHTTPClient(port: sim.port)
        let documents = [("/api/v1", "api_v1"), ("/apis/apps/v1", "apis_apps_v1"), ("/apis/batch/v1", "apis_batch_v1"),
                         ("/apis/policy/v1", "apis_policy_v1"), ("/apis/coordination.k8s.io/v1", "apis_coordination.k8s.io_v1"),
                         ("/apis/events.k8s.io/v1", "apis_events.k8s.io_v1")]
        for (path, name) in documents {
            let served = try #require(client.request("GET", path, token: sim.adminToken)).json()
            let golden = try Self.golden(name)
            #expect(served["groupVersion"] == golden["groupVersion"])
            let goldenByName = Dictionary(uniqueKeysWithValues: (golden["resources"]?.arrayValue ?? []).compactMap { entry in
                entry["name"]?.stringValue.map { ($0, entry) }
            })
            for entry in served["resources"]?.arrayValue ?? [] {
                let resource = try #require(entry["name"]?.stringValue)
                let expected = try #require(goldenByName[resource], "\(resource) is not served by the real API server")
                for field in ["singularName", "namespaced", "kind", "verbs", "shortNames", "categories", "group", "version"] {
                    #expect(entry[field] == expected[field], "\(path) \(resource) \(field)")
                }
            }
        }
        let version = try #require(client.request("GET", "/version", token: nil)).json()
        #expect(version.objectValue?.keys == (try Self.golden("version")).objectValue?.keys)
        let aggregated = try #require(client.request("GET", "/apis", token: sim.adminToken, headers: [
            ("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"),
        ]))
        #expect(aggregated.header("Content-Type") == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let goldenApps = try Self.golden("apis_aggregated")["items"]?.arrayValue?.first { $0.value(at: ["metadata", "name"]) == "apps" }
        let servedApps = try aggregated.json()["items"]?.arrayValue?.first { $0.value(at: ["metadata", "name"]) == "apps" }
        let goldenDeployments = goldenApps?.value(at: ["versions"])?[0]?["resources"]?.arrayValue?.first { $0["resource"] == "deployments" }
        let servedDeployments = servedApps?.value(at: ["versions"])?[0]?["resources"]?.arrayValue?.first { $0["resource"] == "deployments" }
        for field in ["responseKind", "scope", "singularResource", "verbs", "shortNames", "categories"] {
            #expect(servedDeployments?[field] == goldenDeployments?[field], "aggregated deployments \(field)")
        }
    }

    @Test func executablePrintsReadyServesAndStopsOnSIGTERM() throws {
        // The kube-sim built next to this test binary (same build directory, so never a stale one).
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directoryURL = testBinary.deletingLastPathComponent()
        if directoryURL.lastPathComponent == "MacOS" {  // an .xctest bundle on macOS
            directoryURL = directoryURL.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let executable = directoryURL.appendingPathComponent("kube-sim").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            print("kube-sim binary not built next to the tests: skipping the executable test")
            return
        }
        let directory = try SimServer.temporaryDirectory("kube-sim-exe")
        defer { try? FileManager.default.removeItem(at: directory) }  // best-effort cleanup of a temp dir
        let manifest = directory.appendingPathComponent("objects.json")
        try #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"seeded","namespace":"demo"},"spec":{"containers":[]}}]}"#
            .write(to: manifest, atomically: true, encoding: .utf8)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let child = try ChildProcess(executable, ["--port", "0", "--no-cluster", "--write-kubeconfig", kubeconfig, "--objects", manifest.path,
                                                  "--token", "exe-token", "--http"], errorOutput: .discard)
        let line = child.waitForOutput(containing: "\n", timeoutSeconds: 30)
        #expect(line.contains("ready"))
        let afterHost = try #require(line.range(of: "127.0.0.1:")).upperBound
        let port = try #require(Int(line[afterHost...].prefix { $0.isNumber }))
        let client = try RawHTTPClient(port: port)
        #expect(client.request("GET", "/api/v1/namespaces/demo/pods/seeded", token: "exe-token")?.status == 200)
        #expect(try String(contentsOfFile: kubeconfig, encoding: .utf8).contains("token: exe-token"))
        child.signal(SIGTERM)
        let outcome = child.finish(timeoutSeconds: 5)
        #expect(!outcome.timedOut)
        #expect(outcome.status == 0)
    }
}
