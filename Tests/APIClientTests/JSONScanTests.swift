import CJSONScan
import Testing
import TestSupport

/// The vector scanners against a byte-at-a-time reference, on random inputs built from the bytes
/// that matter (quotes, backslashes, brackets of both kinds, control bytes, bytes that fold onto
/// brackets) at every alignment around the 16-byte steps.
@Suite struct JSONScanTests {
    static let alphabet: [UInt8] = Array(#""\{}[]aZ_y: ,"#.utf8) + [0x01, 0x1F, 0x20, 0x7F, 0xC3, 0xA9, 0x3B, 0x5F, 0x59, 0x79]

    static func reference(stringStop bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
        return i
    }

    /// (end, nil) or (code, offending offset).
    static func reference(skip bytes: [UInt8], from start: Int) -> (Int, Int?) {
        var depth = 0
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case 0x22:
                let opening = i
                i += 1
                while true {
                    guard i < bytes.count else { return (Int(TW_JSON_UNTERMINATED_STRING), opening) }
                    let c = bytes[i]
                    if c == 0x22 { break }
                    if c == 0x5C {
                        i += 2
                        if i > bytes.count { return (Int(TW_JSON_UNTERMINATED_STRING), opening) }
                        continue
                    }
                    if c < 0x20 { return (Int(TW_JSON_CONTROL_CHARACTER), i) }
                    i += 1
                }
            case 0x5C: i += 1  // outside strings too, a backslash escapes the next byte
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { return (i + 1, nil) }
            default: break
            }
            i += 1
        }
        return (Int(TW_JSON_UNTERMINATED_CONTAINER), bytes.count)
    }

    @Test func stringStopsMatchTheReference() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...70, using: &random)
            // Mostly plain bytes, so runs cross the 16-byte steps.
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<6, using: &random) == 0 ? Self.alphabet.randomElement(using: &random)! : UInt8(ascii: "x")
            }
            let start = Int.random(in: 0...length, using: &random)
            let found = bytes.withUnsafeBufferPointer { tw_json_string_stop($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, start, length) }
            #expect(found == Self.reference(stringStop: bytes, from: start), "\(bytes) from \(start)")
        }
    }

    @Test func skippedContainersMatchTheReference() {
        var random = SeededGenerator(seed: 11)
        var checked = 0
        for round in 0..<20_000 {
            // Sparse and dense: long plain runs cross the 64-byte blocks, dense ones nest deeply.
            let density = [3, 8, 30][round % 3]
            let length = Int.random(in: 1...300, using: &random)
            var bytes = (0..<length).map { _ in
                Int.random(in: 0..<density, using: &random) == 0 ? Self.alphabet.randomElement(using: &random)! : UInt8(ascii: "x")
            }
            bytes[0] = Bool.random(using: &random) ? 0x7B : 0x5B
            var offending = 0
            let end = bytes.withUnsafeBufferPointer { tw_json_skip_container($0.baseAddress!, 0, length, &offending) }
            let (expected, expectedOffset) = Self.reference(skip: bytes, from: 0)
            #expect(end == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if let expectedOffset, end < 0 { #expect(offending == expectedOffset) }
            if end >= 0 { checked += 1 }
        }
        #expect(checked > 1_000, "enough inputs end in a complete container")
    }

    @Test func nestedContainersWithBracketsAndEscapesInStrings() {
        let json = Array(#"{"a":["]","\"}",{"b":"{[["}],"c":{}} tail"#.utf8)
        var offending = 0
        let end = json.withUnsafeBufferPointer { tw_json_skip_container($0.baseAddress!, 0, json.count, &offending) }
        #expect(end == json.count - " tail".utf8.count)
    }
}
