import Demo
import Synchronization
import Testing

/// `token-warden demo` end to end: it finishes well within a minute and every workload that can
/// be restarted is, with the limits kept.
@Suite struct DemoTests {
    @Test func theDemoRunsToTheEnd() async throws {
        let lines = Mutex<[String]>([])
        let summary = try await DemoRunner(timeLimitSeconds: 55, output: { line in lines.withLock { $0.append(line) } }).run()
        #expect(summary.complete)
        #expect(summary.seconds < 60)
        #expect(summary.restarted == ["legacy/billing-v1", "shop/checkout", "shop/search"])
        #expect(summary.podsEvicted == 3)
        #expect(summary.maximumConcurrentRestarts <= 2)
        #expect(summary.deferred.contains("payments/ledger"))
        #expect(summary.warnings["ForecastMiss"] == 1)
        #expect(summary.warnings["InvalidAnnotation"] == 1)
        let text = lines.withLock { $0.joined(separator: "\n") }
        #expect(text.contains("Every workload that could be restarted was restarted before its deadline."))
    }
}
