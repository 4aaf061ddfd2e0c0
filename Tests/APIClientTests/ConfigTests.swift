import Foundation
import Testing
import Transport
@testable import APIClient

@Suite struct ConfigTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func kubeconfigWithTokenAndCAData() throws {
        let dir = try Self.tempDir()
        let path = dir + "/config"
        try """
        apiVersion: v1
        kind: Config
        current-context: sim
        clusters:
        - name: sim
          cluster:
            server: https://127.0.0.1:6443/
            certificate-authority-data: \(Data("PEM".utf8).base64EncodedString())
        users:
        - name: admin
          user:
            token: abc
        contexts:
        - name: sim
          context: {cluster: sim, user: admin, namespace: team-a}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try KubeconfigLoader.load(explicitPath: path)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.namespace == "team-a")
        #expect(config.declaredNamespace == "team-a")
        #expect(config.tls.certificateAuthority == .pem(Array("PEM".utf8)))
        #expect(try config.token?.token() == "abc")
        #expect(config.tls.insecureSkipVerify == false)
    }

    @Test func errorsNameTheFileAndField() throws {
        let dir = try Self.tempDir()
        let path = dir + "/config"
        try """
        current-context: sim
        clusters:
        - name: sim
          cluster: {server: "https://x", certificate-authority: missing-ca.crt}
        contexts:
        - name: sim
          context: {cluster: sim}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try KubeconfigLoader.load(explicitPath: path)
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.file == path)
            #expect(error.field == "clusters[sim].cluster.certificate-authority")
            #expect(error.problem.contains("missing-ca.crt"))
        }
    }

    @Test func unknownContextIsNamed() throws {
        let dir = try Self.tempDir()
        let path = dir + "/config"
        try "current-context: nope\nclusters: []\ncontexts: []\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try KubeconfigLoader.load(explicitPath: path) } throws: { error in
            (error as? ConfigError)?.problem == "context \"nope\" is not defined"
        }
    }

    @Test func malformedYAMLNamesTheField() throws {
        let dir = try Self.tempDir()
        let path = dir + "/config"
        try "clusters:\n- name: sim\n  cluster: 42\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try KubeconfigLoader.load(explicitPath: path) } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == path && error.field?.hasPrefix("clusters") == true
        }
    }

    @Test func inClusterConfig() throws {
        let dir = try Self.tempDir()
        try "tok-1\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        try "CA".write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
        try "kube-system".write(toFile: dir + "/namespace", atomically: true, encoding: .utf8)
        let config = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"], directory: dir)
        #expect(config.server == "https://[fd00::1]:443")
        #expect(config.namespace == "kube-system")
        #expect(try config.token?.token() == "tok-1")
        #expect(config.tls.certificateAuthority == .file(dir + "/ca.crt"))
    }

    @Test func inClusterNeedsTheEnvironment() {
        #expect(throws: ConfigError.self) { _ = try InClusterConfig.load(environment: [:], directory: "/nonexistent") }
    }

    /// The kubelet's atomic writer: `token` → `..data/token`, `..data` → a timestamped directory,
    /// swapped by renaming a new symlink over `..data`. The token file's own mtime may not change.
    @Test func tokenIsReReadWhenTheDataSymlinkIsSwapped() throws {
        let dir = try Self.tempDir()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/..2026_01", withIntermediateDirectories: true)
        try "first".write(toFile: dir + "/..2026_01/token", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/..data", withDestinationPath: "..2026_01")
        try fm.createSymbolicLink(atPath: dir + "/token", withDestinationPath: "..data/token")
        let reloads = ReloadCounter()
        let source = TokenSource.file(dir + "/token", maximumAge: .seconds(3600), onReload: { reloads.increment() })
        #expect(try source.token() == "first")
        #expect(try source.token() == "first")
        #expect(source.reloadCount == 1)

        try fm.createDirectory(atPath: dir + "/..2026_02", withIntermediateDirectories: true)
        try "second".write(toFile: dir + "/..2026_02/token", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/..data_tmp", withDestinationPath: "..2026_02")
        #expect(rename(dir + "/..data_tmp", dir + "/..data") == 0)
        #expect(try source.token() == "second")
        #expect(source.reloadCount == 2)
        #expect(reloads.value == 2)
    }

    @Test func invalidateForcesARead() throws {
        let dir = try Self.tempDir()
        try "a".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let source = TokenSource.file(dir + "/token", maximumAge: .seconds(3600))
        _ = try source.token()
        source.invalidate()
        _ = try source.token()
        #expect(source.reloadCount == 2)
    }

    @Test func missingTokenFileIsAClearError() {
        let source = TokenSource.file("/nonexistent/token")
        #expect { try source.token() } throws: { error in (error as? ConfigError)?.file == "/nonexistent/token" }
    }
}

final class ReloadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
