import Foundation

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
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        let reader = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, String(decoding: await reader.value, as: UTF8.self))
    }
}
