import Foundation
import TestSupport

/// Runs a command-line tool (curl, kubectl) with a deadline and captures its output.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CommandRunner {
    static func exists(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    stdin: String? = nil, timeoutSeconds: Double = 20) throws -> CommandResult {
        let outcome = try ChildProcess.run(executable, arguments, environment: environment, stdin: Array((stdin ?? "").utf8),
                                           timeoutSeconds: timeoutSeconds)
        return CommandResult(status: outcome.status, stdout: outcome.output, stderr: outcome.errorOutput)
    }
}
