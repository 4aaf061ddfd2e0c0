import KubeModel
import Synchronization
import Testing
@testable import Controller

/// The controller's clock does not step back by a few seconds when the offset estimate moves;
/// it takes a real correction.
@Suite struct ServerClockTests {
    final class Readings: Sendable {
        let local = Atomic<Int64>(1_000)
        let offset = Atomic<Int64>(0)

        func clock() -> ServerClock {
            ServerClock(localSeconds: { self.local.load(ordering: .relaxed) }, offset: { self.offset.load(ordering: .relaxed) })
        }
    }

    @Test func aSmallStepBackIsHeldUntilTimeCatchesUp() {
        let readings = Readings()
        let clock = readings.clock()
        #expect(clock.now().seconds == 1_000)
        readings.offset.store(-3, ordering: .relaxed)
        #expect(clock.now().seconds == 1_000)  // held
        readings.local.store(1_002, ordering: .relaxed)
        #expect(clock.now().seconds == 1_000)  // 999 is still behind
        readings.local.store(1_004, ordering: .relaxed)
        #expect(clock.now().seconds == 1_001)
        readings.offset.store(2, ordering: .relaxed)
        #expect(clock.now().seconds == 1_006)  // forward at once
    }

    @Test func aLargeStepBackIsACorrectionAndIsTaken() {
        let readings = Readings()
        let clock = readings.clock()
        #expect(clock.now().seconds == 1_000)
        readings.offset.store(-600, ordering: .relaxed)
        #expect(clock.now().seconds == 400)
        #expect(clock.now().seconds == 400)
    }
}
