import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A token directory laid out as the kubelet writes a projected volume: `token` → `..data/token`,
/// `..data` → a timestamped directory, replaced by an atomic rename of a new `..data` symlink.
public struct ProjectedTokenDirectory {
    public let root: URL
    private var generation = 0

    public init(root: URL) {
        self.root = root
    }

    public var tokenPath: String { root.appendingPathComponent("token").path }

    /// Writes `token` into a new generation and swaps `..data` to it in one rename.
    public mutating func publish(_ token: String) throws {
        generation += 1
        let fm = FileManager.default
        let name = "..gen_\(generation)"
        let directory = root.appendingPathComponent(name)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(token.utf8).write(to: directory.appendingPathComponent("token"))
        let staging = root.appendingPathComponent("..data_tmp").path
        try fm.createSymbolicLink(atPath: staging, withDestinationPath: name)
        guard rename(staging, root.appendingPathComponent("..data").path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: staging])
        }
        if generation == 1 {
            try fm.createSymbolicLink(atPath: tokenPath, withDestinationPath: "..data/token")
        }
    }
}

/// Replaces a file atomically (write beside it, rename over it), as config-map volumes do.
func replaceAtomically(path: String, contents: String) throws {
    let staging = path + ".tmp"
    try Data(contents.utf8).write(to: URL(fileURLWithPath: staging))
    guard rename(staging, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
}
