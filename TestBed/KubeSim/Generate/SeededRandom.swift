/// A small, fast, deterministic random number generator (SplitMix64): the same seed gives the
/// same cluster on every machine and Swift version (the standard library's generator is neither
/// seedable nor stable).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (inclusive).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }
        return range.lowerBound + Int(next() % span)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    private static let nameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// A suffix like the API server's generateName ones (k8s.io/apimachinery/pkg/util/rand alphabet).
    public mutating func nameSuffix(length: Int = 5) -> String {
        var bytes = [UInt8](repeating: 0, count: length)
        for index in 0..<length { bytes[index] = Self.nameAlphabet[Int(next() % UInt64(Self.nameAlphabet.count))] }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A version-4 UUID in lower case.
    public mutating func uuid() -> String {
        let high = next()
        let low = next()
        var bytes = [UInt8]()
        bytes.reserveCapacity(36)
        for index in 0..<32 {
            var nibble = Int(((index < 16 ? high : low) >> UInt64(60 - (index % 16) * 4)) & 0xF)
            if index == 12 { nibble = 4 }
            if index == 16 { nibble = 8 | (nibble & 3) }
            if index == 8 || index == 12 || index == 16 || index == 20 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(Self.hex[nibble])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` lower-case hex digits (image digests, container ids).
    public mutating func hexString(_ count: Int) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        var word = next()
        for index in 0..<count {
            if index % 16 == 0 && index > 0 { word = next() }
            bytes.append(Self.hex[Int(word & 0xF)])
            word >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
