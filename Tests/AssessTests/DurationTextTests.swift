import Assess
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("720h", Int64(2_592_000)), ("1h30m", 5_400), ("90m", 5_400), ("1.5h", 5_400), ("30d", 2_592_000),
        ("365d", 31_536_000), ("8760h", 31_536_000), ("90d", 7_776_000), ("45s", 45), ("1h0m7s", 3_607),
        ("1.5d", 129_600), (".5h", 1_800), ("1500ms", 1), (" 2h ", 7_200), ("1d12h", 129_600), ("876000h", 3_153_600_000),
    ])
    func parsesPositive(_ text: String, _ seconds: Int64) {
        #expect(DurationText.parsePositive(text) == .success(seconds))
    }

    @Test(arguments: [
        ("", DurationText.ParseError.empty), ("0", .zero), ("0s", .zero), ("500ms", .zero), ("-5m", .negative),
        ("5", .malformed("missing unit")), ("5x", .unknownUnit("x")), ("1y", .unknownUnit("y")),
        ("36501d", .tooLarge), ("9999999999999999999h", .tooLarge), ("h", .malformed("expected a number at \"h\"")),
        ("-", .malformed("sign without value")), ("45 days", .malformed("unexpected \" \"")), ("1h-30m", .malformed("expected a number at \"-30m\"")),
    ])
    func rejects(_ text: String, _ error: DurationText.ParseError) {
        #expect(DurationText.parsePositive(text) == .failure(error))
    }

    @Test func signedParseAndFormat() {
        #expect(DurationText.parse("-1h") == .success(-3_600))
        #expect(DurationText.format(31_536_000) == "365d")
        #expect(DurationText.format(2_896) == "48m16s")
        #expect(DurationText.format(5_400) == "1h30m")
        #expect(DurationText.format(90_061) == "1d1h1m1s")
        #expect(DurationText.format(0) == "0s")
    }

    @Test func tokenLifetime() {
        #expect(TokenLifetime.parse("none") == .success(TokenLifetime.none))
        #expect(TokenLifetime.parse("NONE") == .success(TokenLifetime.none))
        #expect(TokenLifetime.parse("90d") == .success(.extended(seconds: 7_776_000)))
        #expect(TokenLifetime.parse("0s") == .failure(.zero))
        #expect(TokenLifetime.upstreamDefault.description == "365d")
    }
}
