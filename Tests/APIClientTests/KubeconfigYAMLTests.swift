import Testing
import Yams
@testable import APIClient

/// `KubeconfigLoader.decodeYAML` skips Yams' regex-based tag resolution unless the file has a merge key.
@Suite struct KubeconfigYAMLTests {
    static let plain = """
        apiVersion: v1
        kind: Config
        current-context: sim
        clusters:
        - name: sim
          cluster: &cluster
            server: https://127.0.0.1:6443
            insecure-skip-tls-verify: true
        - name: copy
          cluster: *cluster
        users:
        - name: admin
          user: {token: "null"}
        contexts:
        - name: sim
          context: {cluster: copy, user: admin, namespace: ~}
        """

    @Test func anchorsAliasesAndScalarsDecodeWithoutTheRegexResolver() throws {
        let file = try KubeconfigLoader.decodeYAML(Self.plain)
        let config = try KubeconfigLoader.resolve([("config", file)], contextName: nil)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.tls.insecureSkipVerify)
        #expect(config.namespace == "default")

        // Exactly what Yams' own decoding path (merge-key resolver) makes of the same text.
        let reference = try KubeconfigLoader.resolve(
            [("config", try YAMLDecoder().decode(KubeconfigFile.self, from: Self.plain))], contextName: nil)
        #expect(config.server == reference.server)
        #expect(config.tls == reference.tls)
        #expect(config.namespace == reference.namespace)
        #expect(try config.token?.token() == reference.token?.token())
    }

    @Test func mergeKeysStillWork() throws {
        let yaml = """
            current-context: sim
            clusters:
            - name: base
              cluster: &base {server: "https://10.0.0.1", insecure-skip-tls-verify: true}
            - name: sim
              cluster:
                <<: *base
                server: https://127.0.0.1:6443
            contexts:
            - name: sim
              context: {cluster: sim}
            """
        let config = try KubeconfigLoader.resolve([("config", try KubeconfigLoader.decodeYAML(yaml))], contextName: nil)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.tls.insecureSkipVerify)
    }
}
