import Foundation
import Testing
import TestSupport

/// The product's executable does not carry the simulated cluster: `token-warden demo` hands on to
/// the separate `token-warden-demo`, or says plainly where to get it.
@Suite struct DemoHandOffTests {
    private static var buildFolder: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    @Test func theProductBinaryDoesNotLinkTheSimulator() throws {
        guard let product = TokenWardenBinary.url else { return }
        let demo = Self.buildFolder.appendingPathComponent("token-warden-demo")
        guard FileManager.default.isExecutableFile(atPath: demo.path) else { return }
        // Swift's mangled module prefix of every KubeSim symbol.
        let marker = Data("7KubeSim".utf8)
        #expect(try Data(contentsOf: product).range(of: marker) == nil, "token-warden links KubeSim")
        #expect(try Data(contentsOf: demo).range(of: marker) != nil, "the check would not notice KubeSim (marker absent from the demo too)")
    }

    @Test func demoHandsOnToTheDemoExecutableBesideIt() async throws {
        guard let product = TokenWardenBinary.url else { return }
        let outcome = try await ChildProcess.runAsync(product.path, ["demo", "--time-limit", "0.5"],
                                                      environment: ["PATH": "/usr/bin:/bin"], timeoutSeconds: 60)
        // Half a second is too short for every restart to finish: the demo's own "incomplete" exit.
        #expect(outcome.status == 1, "\(outcome.errorOutput)")
        #expect(outcome.output.contains("Not every expected restart finished within the time limit."), "\(outcome.output.suffix(400))")
    }

    @Test func withoutTheDemoExecutableItSaysWhereToGetIt() async throws {
        guard let product = TokenWardenBinary.url else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-handoff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }  // scratch folder: nothing to report if it lingers
        let alone = folder.appendingPathComponent("token-warden")
        try FileManager.default.copyItem(at: product, to: alone)
        let outcome = try await ChildProcess.runAsync(alone.path, ["demo"], environment: ["PATH": folder.path], timeoutSeconds: 30)
        #expect(outcome.status == 69)
        #expect(outcome.errorOutput.contains("token-warden-demo was not found"))
        #expect(outcome.errorOutput.contains("make demo"))
    }
}
