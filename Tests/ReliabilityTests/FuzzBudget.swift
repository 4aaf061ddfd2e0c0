import Foundation
import TestSupport

/// How long each fuzzer runs: a fixed, fast number of cases in `swift test`; with FUZZ_SECONDS
/// set (`make reliability`), as many cases as fit in that many seconds. The seed comes from
/// FUZZ_SEED when set, so a crash found in a long run can be replayed.
enum FuzzBudget {
    static let seconds: Double? = ProcessInfo.processInfo.environment["FUZZ_SECONDS"].flatMap(Double.init)
    static let seed: UInt64 = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7017_E9A7_DE11

    /// Runs `body` with a fresh generator per case; returns the number of cases run.
    @discardableResult
    static func run(cases: Int = 3000, _ body: (inout SeededGenerator, Int) throws -> Void) rethrows -> Int {
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        var index = 0
        while deadline.map({ Date() < $0 }) ?? (index < cases) {
            var generator = SeededGenerator(seed: seed &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
            try body(&generator, index)
            index += 1
        }
        return index
    }
}

/// Random text built from pieces that parsers care about, plus noise.
enum FuzzText {
    static func compose(_ pieces: [String], maxPieces: Int = 8, using generator: inout SeededGenerator) -> String {
        let count = Int.random(in: 0...maxPieces, using: &generator)
        var text = ""
        for _ in 0..<count {
            if Int.random(in: 0..<10, using: &generator) == 0 {
                text += noise(using: &generator)
            } else {
                text += pieces.randomElement(using: &generator) ?? ""
            }
        }
        return text
    }

    static func noise(using generator: inout SeededGenerator) -> String {
        let samples = ["\u{0}", "\u{FFFF}", "🙃", "\t", "\n", " ", "-", "+", "9999999999999999999999", "٣", "e", ".", ",", ":", ";",
                       "\u{202E}", "%", "\"", "\\", String(repeating: "9", count: Int.random(in: 1...400, using: &generator))]
        return samples.randomElement(using: &generator) ?? ""
    }

    /// Mutates bytes: truncation, flips, insertions, duplication of a slice.
    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &generator)] }
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: bytes.removeSubrange(at...)
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &generator)
            case 2: bytes.insert(contentsOf: Array(["{", "}", "\"", "[", "]", ",", ":", "\n", "\\"].randomElement(using: &generator)!.utf8), at: at)
            case 3:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &generator))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            default: bytes.remove(at: at)
            }
        }
        return bytes
    }
}
