import KubeSim

/// The simulator's deterministic generator (SplitMix64), so a failing case can be replayed from its seed.
public typealias SeededGenerator = SeededRandom
