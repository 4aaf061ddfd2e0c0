import ArgumentParser
import Foundation

/// `token-warden demo`: the demo's simulated cluster lives in an executable of its own
/// (`token-warden-demo`), so the product binary does not link it. This subcommand replaces the
/// process with that executable — found beside this one first, then on the PATH — passing every
/// argument on unchanged.
struct DemoHandOff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the controller against a simulated cluster (hands on to token-warden-demo).",
        discussion: """
            The simulated cluster is not part of the product's binary. From a clone, `make demo` builds \
            and runs it; an installed token-warden-demo beside token-warden or on the PATH is used here.
            """)

    static let executableName = "token-warden-demo"

    @Argument(parsing: .captureForPassthrough, help: "Options for token-warden-demo (e.g. --time-limit 20).")
    var arguments: [String] = []

    func run() throws {
        guard let path = Self.locate() else {
            FileHandle.standardError.write(Data("""
                token-warden demo: \(Self.executableName) was not found beside this executable or on the PATH.
                The simulated cluster is a separate executable: run `make demo` from a clone of the repository.

                """.utf8))
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
        let argv = [path] + arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        execv(path, cArgs)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("token-warden demo: cannot run \(path): \(reason)\n".utf8))
        throw ExitCode(69)
    }

    /// Beside the running executable (a build folder, an install prefix), then each PATH entry.
    static func locate() -> String? {
        var candidates: [String] = []
        let ownPath = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if ownPath != "/proc/self/exe" {
            candidates.append((ownPath as NSString).deletingLastPathComponent + "/" + executableName)
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            candidates.append(String(directory) + "/" + executableName)
        }
        return candidates.first { access($0, X_OK) == 0 }
    }
}
