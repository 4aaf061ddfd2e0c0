import APIClient
import Observe
import Testing

/// Bugs the reliability suite found, pinned down.
@Suite struct RegressionTests {
    /// Found by the splitter fuzzer: a line that arrived complete inside one chunk (or completed a
    /// partial line) was returned even when longer than the limit.
    @Test func aCompleteLineOverTheLimitIsAnError() {
        var splitter = LineSplitter(maximumLineLength: 4)
        #expect(throws: LineSplitter.LineTooLong.self) { _ = try splitter.feed(Array("ok\n123456\n".utf8)) }
        var partial = LineSplitter(maximumLineLength: 4)
        #expect((try? partial.feed(Array("123".utf8))) == [])
        #expect(throws: LineSplitter.LineTooLong.self) { _ = try partial.feed(Array("456\n".utf8)) }
        var fine = LineSplitter(maximumLineLength: 4)
        #expect((try? fine.feed(Array("1234\nab".utf8))) == [Array("1234".utf8)])
    }

    /// Found by the token-revoked scenario: after a 401 the controller stayed ready for the whole
    /// reachability window (2 minutes). Now readiness drops at once and names the 401, and comes
    /// back with the first successful request (a valid token).
    @Test func aRejectedTokenMakesTheControllerUnreadyUntilARequestSucceeds() {
        let health = HealthState(clock: { 1_000 })
        health.setCachesSynced(true)
        health.setTokenReadable(true)
        health.recordAPISuccess()
        #expect(health.isReady)
        health.recordTokenRejected()
        #expect(!health.isReady)
        let problem = health.checks().first { !$0.passed }?.problem ?? ""
        #expect(problem.contains("401"))
        health.setTokenReadable(true)  // the file is still readable: that alone does not help
        #expect(!health.isReady)
        health.recordAPISuccess()
        #expect(health.isReady)
    }
}
