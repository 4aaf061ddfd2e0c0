import Controller
import Testing

/// The reconcile loop's pacing: a lone change is taken in after the debounce, a burst waits out
/// the rest after the last pass, and the rest follows what a pass typically costs within its bounds.
@Suite struct PassPacingTests {
    let pacing = PassPacing(debounce: .milliseconds(5), minimumRest: .milliseconds(20), maximumRest: .milliseconds(200), restPerPassSecond: 19)

    @Test func aChangeAfterAQuietPeriodWaitsOnlyTheDebounce() {
        let now = ContinuousClock.now
        #expect(pacing.delay(wokenAt: now, restingUntil: nil) == .milliseconds(5))
        #expect(pacing.delay(wokenAt: now, restingUntil: now - .seconds(1)) == .milliseconds(5))
    }

    @Test func aChangeDuringTheRestWaitsUntilItIsOver() {
        let now = ContinuousClock.now
        #expect(pacing.delay(wokenAt: now, restingUntil: now + .milliseconds(120)) == .milliseconds(120))
        // Never less than the debounce, so the burst's next events still join the pass.
        #expect(pacing.delay(wokenAt: now, restingUntil: now + .milliseconds(1)) == .milliseconds(5))
    }

    @Test func theRestIsProportionalToThePassWithinItsBounds() {
        var cheap = pacing
        #expect(cheap.rest(afterPassOf: .microseconds(100)) == .milliseconds(20))
        var steady = pacing
        #expect(steady.rest(afterPassOf: .milliseconds(2)) == .milliseconds(38))
        #expect(steady.rest(afterPassOf: .milliseconds(2)) == .milliseconds(38))
        var expensive = pacing
        #expect(expensive.rest(afterPassOf: .milliseconds(150)) == .milliseconds(200))
    }

    @Test func oneSlowPassAmongCheapOnesDoesNotMakeTheNextEventsWaitTheLongestRest() {
        var loop = pacing
        for _ in 0..<50 { _ = loop.rest(afterPassOf: .milliseconds(1)) }
        // 12 ms once: the last pass alone would rest 200 ms; the typical pass is 2.4 ms.
        let afterOutlier = loop.rest(afterPassOf: .milliseconds(12))
        #expect(afterOutlier > .milliseconds(20) && afterOutlier < .milliseconds(50), "rested \(afterOutlier)")
        // Back to cheap passes: the rest decays towards 19 ms of rest per ms of pass.
        var rest = afterOutlier
        for _ in 0..<30 { rest = loop.rest(afterPassOf: .milliseconds(1)) }
        #expect(rest == .milliseconds(20))
    }

    @Test func passesThatStayExpensiveGetTheirProportionalRestWithinAFewPasses() {
        var loop = pacing
        for _ in 0..<50 { _ = loop.rest(afterPassOf: .milliseconds(1)) }
        var rest = Duration.zero
        for _ in 0..<30 { rest = loop.rest(afterPassOf: .milliseconds(8)) }
        // Within 3 % of 19 × 8 ms after 30 passes: passes stay within about a twentieth of the wall time.
        #expect(rest > .milliseconds(148) && rest <= .milliseconds(152), "rested \(rest)")
    }

    @Test func whatAPassSpendsPerEventEarnsNoRest() {
        // 0.3 ms fixed and 0.2 ms an event, batches of 5 to 60 events: the rest follows the 0.3 ms.
        var loop = pacing
        var rest = Duration.zero
        for i in 0..<60 {
            let events = 5 + (i * 11) % 56
            rest = loop.rest(afterPassOf: .microseconds(300 + 200 * events), eventsTakenIn: events)
        }
        #expect(rest == .milliseconds(20), "rested \(rest)")
        // The same batches at 3 ms fixed: 57 ms, within a few percent.
        var fixedHeavy = pacing
        for i in 0..<60 {
            let events = 5 + (i * 11) % 56
            rest = fixedHeavy.rest(afterPassOf: .microseconds(3000 + 20 * events), eventsTakenIn: events)
        }
        #expect(rest > .milliseconds(54) && rest < .milliseconds(60), "rested \(rest)")
    }

    @Test func batchesOfOneSizeCountTheWholePassAsFixed() {
        var loop = pacing
        var rest = Duration.zero
        for _ in 0..<40 { rest = loop.rest(afterPassOf: .milliseconds(4), eventsTakenIn: 30) }
        #expect(rest > .milliseconds(75) && rest <= .milliseconds(76), "rested \(rest)")
    }

    @Test func aPassWhoseRequeueIsAlreadyDueRestsTheLongest() {
        var loop = pacing
        #expect(loop.rest(afterPassOf: .microseconds(300), requeueDue: true) == .milliseconds(200))
    }

    @Test func theDebounceNeverExceedsTheLongestRest() {
        var tight = PassPacing(debounce: .milliseconds(80), maximumRest: .milliseconds(50))
        #expect(tight.debounce == .milliseconds(50))
        #expect(tight.minimumRest == .milliseconds(50))
        #expect(tight.rest(afterPassOf: .seconds(1)) == .milliseconds(50))
        #expect(tight.rest(afterPassOf: .microseconds(1)) == .milliseconds(50))
    }
}
