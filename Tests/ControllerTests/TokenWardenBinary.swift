import Foundation
import TestSupport

/// The built `token-warden` executable, run as a person or a cron job would run it.
enum TokenWardenBinary {
    /// Next to the test runner in the build folder; nil when it was not built (the test then skips).
    static var url: URL? {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("token-warden")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Runs it to completion without blocking a concurrency thread; returns its status and stdout.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        guard let url else { throw CocoaError(.fileNoSuchFile) }
        let outcome = try await ChildProcess.runAsync(url.path, arguments, timeoutSeconds: 120)
        return (outcome.status, outcome.output)
    }
}
