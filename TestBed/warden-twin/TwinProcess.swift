import Foundation

/// One run of this program in a process of its own, its standard output collected.
struct TwinProcess {
    struct Outcome {
        var output: String
        var status: Int32
    }

    private let process = Process()
    private let pipe = Pipe()

    /// Starts `warden-twin ARGUMENTS` (this very executable); its standard error is this one's.
    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.standardOutput = pipe
        try process.run()
    }

    /// Reads its output to the end (a table: far smaller than a pipe's buffer would need to
    /// block on, but read first anyway), then waits for it to exit.
    func wait() -> Outcome {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(output: String(decoding: data, as: UTF8.self), status: process.terminationStatus)
    }
}
