import Controller
import Testing

/// The reconcile loop's pacing: a lone change is taken in after the debounce, a burst waits out
/// the rest after the last pass, and the rest follows what a pass costs within its bounds.
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
        #expect(pacing.rest(afterPassOf: .microseconds(100)) == .milliseconds(20))
        #expect(pacing.rest(afterPassOf: .milliseconds(2)) == .milliseconds(38))
        #expect(pacing.rest(afterPassOf: .milliseconds(150)) == .milliseconds(200))
    }

    @Test func aPassWhoseRequeueIsAlreadyDueRestsTheLongest() {
        #expect(pacing.rest(afterPassOf: .microseconds(300), requeueDue: true) == .milliseconds(200))
    }

    @Test func theDebounceNeverExceedsTheLongestRest() {
        let tight = PassPacing(debounce: .milliseconds(80), maximumRest: .milliseconds(50))
        #expect(tight.debounce == .milliseconds(50))
        #expect(tight.minimumRest == .milliseconds(50))
        #expect(tight.rest(afterPassOf: .seconds(1)) == .milliseconds(50))
        #expect(tight.rest(afterPassOf: .microseconds(1)) == .milliseconds(50))
    }
}
