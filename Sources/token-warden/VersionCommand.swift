import ArgumentParser
import Controller

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("\(BuildInfo.name) \(BuildInfo.version)")
    }
}
