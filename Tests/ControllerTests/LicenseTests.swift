import Foundation
import Testing

/// The project's license (Apache-2.0) and everywhere it must be declared: the Helm chart, the
/// image's labels and files, the krew archive.
@Suite("License")
struct LicenseTests {
    @Test("LICENSE is the Apache License 2.0, whole")
    func licenseText() throws {
        let text = try DeployManifest.text("LICENSE")
        #expect(text.contains("Apache License\n                           Version 2.0, January 2004"))
        #expect(text.contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"))
        for section in 1...9 { #expect(text.contains("\n   \(section). "), "section \(section) missing") }
        #expect(text.contains("END OF TERMS AND CONDITIONS"))
        #expect(text.contains("APPENDIX: How to apply the Apache License to your work."))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count >= 200)
    }

    @Test("The chart, the image and the krew manifest declare and ship it")
    func declaredEverywhere() throws {
        let license = try DeployManifest.text("LICENSE")
        #expect(try DeployManifest.text("deploy/helm/token-warden/LICENSE") == license)
        let chart = try #require(DeployManifest.load(file: "deploy/helm/token-warden/Chart.yaml").first)
        #expect((chart["annotations"] as? [String: Any])?["artifacthub.io/license"] as? String == "Apache-2.0")
        let dockerfile = try DeployManifest.text("Dockerfile")
        #expect(dockerfile.contains(#"org.opencontainers.image.licenses="Apache-2.0""#))
        #expect(dockerfile.contains("COPY --chown=0:0 LICENSE /usr/share/doc/token-warden/LICENSE"))
        #expect(!(try DeployManifest.text(".dockerignore")).split(separator: "\n").contains { $0 == "LICENSE" || $0 == "*" })
        let plugin = try DeployManifest.one(DeployManifest.load(file: "deploy/krew/token-warden.yaml"), kind: "Plugin", name: "token-warden")
        for platform in DeployManifest.value(plugin, "spec.platforms") as? [[String: Any]] ?? [] {
            let files = platform["files"] as? [[String: Any]] ?? []
            #expect(files.contains { $0["from"] as? String == "LICENSE" }, "krew installs the license with the binary")
        }
    }
}
