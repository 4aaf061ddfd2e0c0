import Foundation
import Testing
import TestSupport

/// The tests' way of running commands: exit codes, both streams, input, deadlines, and many
/// children at once, every one of them reaped.
@Suite struct ChildProcessTests {
    @Test func statusAndBothStreamsAreKeptApart() throws {
        let outcome = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(outcome.status == 3)
        #expect(outcome.output == "out\n")
        #expect(outcome.errorOutput == "err\n")
        #expect(!outcome.timedOut)
    }

    @Test func aMegabyteGoesThroughCatWithoutDeadlock() throws {
        let input = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let outcome = try ChildProcess.run("/bin/cat", [], stdin: input)
        #expect(outcome.status == 0)
        #expect(outcome.stdout == input)
    }

    @Test func aChildPastItsDeadlineIsKilled() throws {
        let started = Date()
        let outcome = try ChildProcess.run("/bin/sleep", ["30"], timeoutSeconds: 0.3)
        #expect(outcome.timedOut)
        #expect(outcome.status == 128 + SIGKILL)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func aSignalIsReportedAsAShellDoes() throws {
        let outcome = try ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$"])
        #expect(outcome.status == 128 + SIGTERM)
    }

    @Test func directoryEnvironmentAndMergedErrors() throws {
        #expect(try ChildProcess.run("/bin/pwd", [], directory: "/tmp").output == "/tmp\n")
        #expect(try ChildProcess.run("/usr/bin/env", [], environment: ["ONLY": "this"]).output == "ONLY=this\n")
        let merged = try ChildProcess.run("/bin/sh", ["-c", "echo a; echo b >&2"], errorOutput: .mergeIntoOutput)
        #expect(merged.output == "a\nb\n")
        #expect(merged.stderr.isEmpty)
    }

    @Test func aMissingExecutableIsAnErrorNotAHang() {
        // posix_spawn reports a missing file either itself or as exit status 127 of the child.
        do {
            let outcome = try ChildProcess.run("/nonexistent/tool", [])
            #expect(outcome.status == 127)
        } catch {
            #expect("\(error)".contains("/nonexistent/tool"))
        }
    }

    @Test func manyChildrenAtOnceAllFinish() async throws {
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<40 {
                group.addTask { try await ChildProcess.runAsync("/bin/sh", ["-c", "exit \(i % 7)"]).status }
            }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(statuses.sorted() == (0..<40).map { Int32($0 % 7) }.sorted())
    }

    @Test func outputIsReadUntilAMarkerThenTheChildIsStopped() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo ready; exec sleep 30"])
        #expect(child.waitForOutput(containing: "ready", timeoutSeconds: 10) == "ready\n")
        child.signal(SIGTERM)
        let outcome = child.finish(timeoutSeconds: 10)
        #expect(outcome.status == 128 + SIGTERM)
        #expect(!outcome.timedOut)
    }
}
