import Testing
@testable import APIClient

/// The offset follows the server's clock, not the one-second resolution of its `Date` headers.
@Suite struct ServerClockOffsetTests {
    @Test func readingsWithinTheHeadersResolutionKeepTheEstimate() {
        let offset = ServerClockOffset()
        #expect(offset.value == 0)
        offset.set(-1)
        #expect(offset.value == -1)
        for reading: Int64 in [0, -1, 0, -2, -1, 0] { offset.set(reading) }
        #expect(offset.value == -1)
    }

    @Test func aRealChangeIsTaken() {
        let offset = ServerClockOffset()
        offset.set(0)
        offset.set(2)
        #expect(offset.value == 2)
        offset.set(-3600)
        #expect(offset.value == -3600)
    }
}
