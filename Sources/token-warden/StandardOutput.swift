import Foundation

/// Writes a command's output to file descriptor 1 as it is made, piece by piece.
enum StandardOutput {
    struct WriteError: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "cannot write the output: \(String(cString: strerror(errno)))" }
    }

    /// Calls `produce` with a sink for the pieces; the first write that fails stops the writing
    /// (later pieces are dropped) and is thrown once `produce` returns.
    static func stream(_ produce: (([UInt8]) -> Void) throws -> Void) throws {
        var failure: WriteError?
        try produce { chunk in
            guard failure == nil else { return }
            failure = write(chunk)
        }
        if let failure { throw failure }
    }

    /// The whole buffer, across partial writes and interruptions; nil when written.
    private static func write(_ bytes: [UInt8]) -> WriteError? {
        bytes.withUnsafeBytes { buffer -> WriteError? in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return WriteError(errno: errno)
                }
                offset += written
            }
            return nil
        }
    }
}
