import Foundation
import Glibc

/// A command run by the tests (kubectl, curl, gzip, the built executables): spawned with
/// `posix_spawn`, its pipes drained with `poll` and the child reaped with `waitpid` — all on the
/// calling thread, or on a dedicated thread for the async form, never on a concurrency thread.
///
/// Foundation's `Process` is not used: on Linux it learns of a child's exit through a signal
/// source, and a run of the suite was seen waiting forever for a child that had already exited
/// (no child left, termination handler never called). `waitpid` on the child's own pid cannot
/// miss it.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: one thread at a time drives a child (the caller, or the thread `finished` starts).

    public enum ErrorOutput: Sendable {
        case capture      // into `Outcome.stderr`
        case mergeIntoOutput
        case discard
    }

    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal that ended the child (as a shell reports it).
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// The child outlived its deadline and was killed.
        public var timedOut: Bool

        public var output: String { String(decoding: stdout, as: UTF8.self) }
        public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let pid: pid_t
    private var input: Int32
    private var pendingInput: [UInt8]
    private var output: Int32
    private var errors: Int32
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    /// Reaped: the pid may belong to another process now, so it is signalled no more.
    private var reaped = false

    /// Starts `executable` (a path) with `arguments`; `environment` replaces the inherited one.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                directory: String? = nil, stdin: [UInt8] = [], errorOutput: ErrorOutput = .capture) throws {
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard Self.pipe2(&fds, O_CLOEXEC) == 0 else { throw SpawnError(description: "pipe2: \(String(cString: strerror(errno)))") }
            return (fds[0], fds[1])
        }
        let inPipe = try pipeEnds(), outPipe = try pipeEnds(), errPipe = try pipeEnds()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        switch errorOutput {
        case .capture: posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
        case .mergeIntoOutput: posix_spawn_file_actions_adddup2(&actions, outPipe.write, 2)
        case .discard: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if let directory {
            guard let addChdir = Self.addChdir else { throw SpawnError(description: "posix_spawn_file_actions_addchdir_np is unavailable") }
            _ = addChdir(&actions, directory)
        }
        // The test process ignores SIGPIPE; the child gets the default back, as from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var child: pid_t = 0
        func spawn() -> Int32 {
            argv.withUnsafeBufferPointer { args in
                if let envp {
                    return envp.withUnsafeBufferPointer { env in
                        posix_spawn(&child, executable, &actions, &attributes, args.baseAddress!, env.baseAddress!)
                    }
                }
                return posix_spawn(&child, executable, &actions, &attributes, args.baseAddress!, environ)
            }
        }
        // An executable a test has just copied can be busy for a moment (ETXTBSY): a child that
        // another test forked meanwhile holds the copy's write descriptor until it execs.
        var code = spawn()
        var retries = 0
        while code == ETXTBSY, retries < 20 {
            retries += 1
            usleep(50_000)
            code = spawn()
        }
        for fd in [inPipe.read, outPipe.write, errPipe.write] { close(fd) }
        guard code == 0 else {
            for fd in [inPipe.write, outPipe.read, errPipe.read] { close(fd) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        pid = child
        input = inPipe.write
        pendingInput = stdin
        output = outPipe.read
        errors = errPipe.read
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        if pendingInput.isEmpty { closeInput() }
    }

    deinit {
        for fd in [input, output, errors] where fd >= 0 { close(fd) }
        if !reaped {  // abandoned (a test failed early): no orphan, no zombie
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
    }

    /// Runs a command to completion (blocking the calling thread).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil, stdin: [UInt8] = [], errorOutput: ErrorOutput = .capture,
                           timeoutSeconds: Double = 60) throws -> Outcome {
        try ChildProcess(executable, arguments, environment: environment, directory: directory, stdin: stdin, errorOutput: errorOutput)
            .finish(timeoutSeconds: timeoutSeconds)
    }

    /// Runs a command to completion on a dedicated thread; the calling task only suspends.
    public static func runAsync(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                                directory: String? = nil, stdin: [UInt8] = [], errorOutput: ErrorOutput = .capture,
                                timeoutSeconds: Double = 60) async throws -> Outcome {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory, stdin: stdin, errorOutput: errorOutput)
        return await child.finished(timeoutSeconds: timeoutSeconds)
    }

    /// Reads the child's output until it contains `text`, the output ends or `timeoutSeconds`
    /// pass; returns the output so far.
    public func waitForOutput(containing text: String, timeoutSeconds: Double) -> String {
        let deadline = Self.now() + timeoutSeconds
        while !String(decoding: stdout, as: UTF8.self).contains(text), output >= 0 || errors >= 0, Self.now() < deadline {
            pump(until: deadline, once: true)
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    public func signal(_ signal: Int32) {
        if !reaped { kill(pid, signal) }
    }

    /// Drains the pipes until the child closes them, killing it at the deadline, then reaps it.
    public func finish(timeoutSeconds: Double) -> Outcome {
        let deadline = Self.now() + timeoutSeconds
        let timedOut = !pump(until: deadline, once: false)
        if timedOut {
            kill(pid, SIGKILL)
            // Whatever it wrote before dying; a grandchild holding the pipes open does not hold us.
            pump(until: Self.now() + 2, once: false)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        reaped = true
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal,
                       stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// `finish` on a dedicated thread.
    public func finished(timeoutSeconds: Double) async -> Outcome {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.finish(timeoutSeconds: timeoutSeconds)) }
            thread.name = "child-\(pid)"
            thread.start()
        }
    }

    /// Moves bytes until every pipe is closed (true) or the deadline passes (false); `once`
    /// returns after the first poll that moved anything.
    @discardableResult
    private func pump(until deadline: Double, once: Bool) -> Bool {
        while input >= 0 || output >= 0 || errors >= 0 {
            let remaining = deadline - Self.now()
            guard remaining > 0 else { return false }
            var fds: [pollfd] = []
            if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errors >= 0 { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == input {
                    writeInput()
                } else if entry.fd == output {
                    if !read(output, into: &stdout) { close(output); output = -1 }
                } else if entry.fd == errors, !read(errors, into: &stderr) {
                    close(errors)
                    errors = -1
                }
            }
            if once { return true }
        }
        return true
    }

    /// False at the end of the stream (or an error other than a retry).
    private func read(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        return count < 0 && (errno == EINTR || errno == EAGAIN)
    }

    private func writeInput() {
        let written = pendingInput.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
        if written > 0 {
            pendingInput.removeFirst(written)
        } else if written < 0, errno != EAGAIN, errno != EINTR {
            pendingInput = []  // the child closed its input (EPIPE): it does not want the rest
        }
        if pendingInput.isEmpty { closeInput() }
    }

    private func closeInput() {
        close(input)
        input = -1
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // glibc functions the Glibc module does not export (they need _GNU_SOURCE).

    /// `pipe2`: both ends close-on-exec from the start, so no other child inherits them.
    private static let pipe2: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { fatalError("glibc without pipe2") }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+).
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()
}
