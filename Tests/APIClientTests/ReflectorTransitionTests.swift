import Testing
import Transport
import WatchCache
@testable import APIClient

/// The reflector's transition function as a table: each phase × outcome that matters, the
/// backoff's growth, cap and reset, the short-watch guard, Retry-After. Pure: no I/O, no clock.
@Suite struct ReflectorTransitionTests {
    static let backoff = Backoff(initial: .milliseconds(800), maximum: .seconds(30), resetAfter: .seconds(120), seed: 3)
    static let lost = APIError.transport(TransportError(kind: .connectionLost, message: "reset", url: "https://127.0.0.1"))

    static func tooManyRequests(retryAfter: Int) -> APIError {
        .status(code: 429, status: APIStatus(message: "too many requests", reason: "TooManyRequests", code: 429),
                retryAfterSeconds: retryAfter, verb: "watch", path: "/api/v1/pods")
    }

    /// A state in `phase`, reached the way a reflector reaches it.
    static func state(_ phase: ReflectorPhase, syncing method: InitialSync = .stream) -> ReflectorState {
        var state = ReflectorState(initialSync: method, backoff: backoff)
        switch phase {
        case .syncing(.list) where method == .stream:
            state = state.transition(on: .streamingUnsupported(reason: "refused"), elapsed: .zero).state
        case .syncing:
            break
        case .watching(let rv):
            state = state.transition(on: .synced(resourceVersion: rv), elapsed: .zero).state
        }
        #expect(state.phase == phase)
        return state
    }

    static func isBackoff(_ wait: Duration, base: Duration) -> Bool { wait >= base && wait < base * 1.5 }

    @Test func startsBySyncingTheConfiguredWay() {
        #expect(ReflectorState(initialSync: .stream, backoff: Self.backoff).phase == .syncing(.stream))
        #expect(ReflectorState(initialSync: .list, backoff: Self.backoff).phase == .syncing(.list))
    }

    @Test(arguments: [InitialSync.stream, .list])
    func aSyncIsFollowedByAWatchFromItsResourceVersionAtOnce(method: InitialSync) {
        let t = Self.state(.syncing(method), syncing: method).transition(on: .synced(resourceVersion: "42"), elapsed: .seconds(3))
        #expect(t.phase == .watching(resourceVersion: "42"))
        #expect(t.wait == .zero)
        #expect(t.restart == nil)
    }

    @Test func streamingUnsupportedListsAtOnceAndIsRemembered() {
        let t = Self.state(.syncing(.stream)).transition(on: .streamingUnsupported(reason: "422"), elapsed: .zero)
        #expect(t.phase == .syncing(.list))
        #expect(t.wait == .zero)
        #expect(t.state.syncMethod == .list)
        // After the list and a 410, it lists again: it does not ask for a stream twice.
        let watching = t.state.transition(on: .synced(resourceVersion: "5"), elapsed: .zero)
        #expect(watching.state.transition(on: .gone, elapsed: .zero).phase == .syncing(.list))
    }

    @Test func goneDuringTheStreamSyncsAgainAtOnce() {
        let t = Self.state(.syncing(.stream)).transition(on: .gone, elapsed: .zero)
        #expect(t.phase == .syncing(.stream))
        #expect(t.wait == .zero)
        #expect(t.restart == .expired)
    }

    @Test func goneAfterThePagerStartedOverBacksOff() {
        let t = Self.state(.syncing(.list), syncing: .list).transition(on: .gone, elapsed: .zero)
        #expect(t.phase == .syncing(.list))
        #expect(Self.isBackoff(t.wait, base: .milliseconds(800)), "\(t.wait)")
    }

    @Test(arguments: [ReflectorPhase.syncing(.stream), .syncing(.list)])
    func aFailedSyncIsRetriedAfterTheBackoff(phase: ReflectorPhase) {
        let t = Self.state(phase).transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .zero)
        #expect(t.phase == phase)
        #expect(Self.isBackoff(t.wait, base: .milliseconds(800)), "\(t.wait)")
        #expect(t.restart == nil)
    }

    @Test func aWatchEndedByTheServerIsReopenedFromItsLastResourceVersionAtOnce() {
        let t = Self.state(.watching(resourceVersion: "10")).transition(
            on: .watchEnded(resourceVersion: "17", events: 3), elapsed: .milliseconds(200))
        #expect(t.phase == .watching(resourceVersion: "17"))
        #expect(t.wait == .zero)
        #expect(t.restart == nil)
    }

    @Test func aQuietWatchThatLastedIsNotShort() {
        let t = Self.state(.watching(resourceVersion: "10")).transition(
            on: .watchEnded(resourceVersion: "10", events: 0), elapsed: ReflectorState.shortWatch)
        #expect(t.wait == .zero)
        #expect(t.restart == nil)
    }

    @Test func theShortWatchGuardBacksOffAndCountsTheRun() {
        var state = Self.state(.watching(resourceVersion: "10"))
        for n in 1...3 {
            let t = state.transition(on: .watchEnded(resourceVersion: "10", events: 0), elapsed: .milliseconds(900))
            #expect(t.phase == .watching(resourceVersion: "10"))
            #expect(t.restart == .short)
            #expect(t.state.shortWatchesInARow == n)
            #expect(Self.isBackoff(t.wait, base: .milliseconds(800 << (n - 1))), "\(t.wait)")
            state = t.state
        }
        // A watch with events ends the run, without a wait.
        let t = state.transition(on: .watchEnded(resourceVersion: "11", events: 1), elapsed: .milliseconds(10))
        #expect(t.state.shortWatchesInARow == 0)
        #expect(t.wait == .zero)
    }

    @Test func goneWhileWatchingSyncsAgainAtOnce() {
        let t = Self.state(.watching(resourceVersion: "10")).transition(on: .gone, elapsed: .seconds(5))
        #expect(t.phase == .syncing(.stream))
        #expect(t.wait == .zero)
        #expect(t.restart == .expired)
    }

    @Test func aFailedWatchResumesFromWhereItGotAfterTheBackoff() {
        let state = Self.state(.watching(resourceVersion: "10"))
        let t = state.transition(on: .failed(resourceVersion: "14", error: Self.lost), elapsed: .seconds(1))
        #expect(t.phase == .watching(resourceVersion: "14"))
        #expect(t.restart == .error)
        #expect(Self.isBackoff(t.wait, base: .milliseconds(800)), "\(t.wait)")
        let opening = state.transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .zero)
        #expect(opening.phase == .watching(resourceVersion: "10"))
    }

    @Test func theBackoffDoublesToItsCapAndStaysThere() {
        var state = Self.state(.watching(resourceVersion: "10"))
        var bases: [Duration] = []
        var waits: [Duration] = []
        for _ in 0..<10 {
            let t = state.transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .zero)
            waits.append(t.wait)
            state = t.state
        }
        var base = Duration.milliseconds(800)
        for _ in 0..<10 { bases.append(base); base = min(base * 2, .seconds(30)) }
        #expect(bases.suffix(4).allSatisfy { $0 == .seconds(30) })
        for (wait, base) in zip(waits, bases) { #expect(Self.isBackoff(wait, base: base), "\(wait) for \(base)") }
    }

    @Test func aWatchUpThroughTheHealthyPeriodResetsTheBackoff() {
        var state = Self.state(.watching(resourceVersion: "10"))
        for _ in 0..<6 { state = state.transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .zero).state }
        let still = state.transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .seconds(119))
        #expect(still.wait >= .seconds(30))
        let reset = state.transition(on: .failed(resourceVersion: nil, error: Self.lost), elapsed: .seconds(120))
        #expect(Self.isBackoff(reset.wait, base: .milliseconds(800)), "\(reset.wait)")
    }

    @Test func retryAfterLengthensTheWaitUpToTheCap() {
        let state = Self.state(.watching(resourceVersion: "10"))
        let asked = state.transition(on: .failed(resourceVersion: nil, error: Self.tooManyRequests(retryAfter: 7)), elapsed: .zero)
        #expect(asked.wait == .seconds(7))
        let long = state.transition(on: .failed(resourceVersion: nil, error: Self.tooManyRequests(retryAfter: 3600)), elapsed: .zero)
        #expect(long.wait == .seconds(30))
        let sync = Self.state(.syncing(.list), syncing: .list)
            .transition(on: .failed(resourceVersion: nil, error: Self.tooManyRequests(retryAfter: 5)), elapsed: .zero)
        #expect(sync.wait == .seconds(5))
    }

    @Test func anOutcomeThePhaseCannotHaveBacksOffInsteadOfSpinning() {
        let syncing = Self.state(.syncing(.list), syncing: .list).transition(on: .watchEnded(resourceVersion: "3", events: 0), elapsed: .zero)
        #expect(syncing.phase == .syncing(.list))
        #expect(syncing.wait > .zero)
        let watching = Self.state(.watching(resourceVersion: "10")).transition(on: .synced(resourceVersion: "99"), elapsed: .zero)
        #expect(watching.phase == .watching(resourceVersion: "10"))
        #expect(watching.wait > .zero)
    }
}
