import Foundation
import Synchronization

/// A file read again whenever it changes on disk (modification time, size or inode: cert-manager
/// and the kubelet replace Secret files through a symlink swap, which changes the inode).
/// `current()` stats the file on every call and reads it only after a change.
public final class WatchedFile: Sendable {
    public let path: String

    private struct Version: Equatable {
        let modified: Int64
        let modifiedNanoseconds: Int
        let size: Int64
        let inode: UInt64
    }

    private struct State {
        var version: Version?
        var contents: [UInt8] = []
    }

    private let state = Mutex(State())

    /// Reads the file once; throws when it cannot be read.
    public init(path: String) throws(WatchedFileError) {
        self.path = path
        _ = try current()
    }

    /// The contents as of now; when the file changed since the last call, read again. A file that
    /// cannot be read any more (mid-rotation) keeps its last good contents and throws.
    @discardableResult
    public func current() throws(WatchedFileError) -> (contents: [UInt8], changed: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw WatchedFileError(path: path, problem: String(cString: strerror(errno))) }
        let version = Version(
            modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
            size: Int64(info.st_size), inode: UInt64(info.st_ino))
        if let known = state.withLock({ $0.version == version ? $0.contents : nil }) { return (known, false) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WatchedFileError(path: path, problem: "cannot be read")
        }
        let contents = [UInt8](data)
        state.withLock { state in
            state.version = version
            state.contents = contents
        }
        return (contents, true)
    }
}

public struct WatchedFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}
