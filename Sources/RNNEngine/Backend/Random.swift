/// The engine's seeded pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Our own generator (not the platform's) so that the same seed gives bit-identical weights, dropout masks and
/// shuffles on every machine; its whole state is four words, saved in checkpoints.
public struct RandomSource: Sendable, Codable, Hashable {
    public var state: [UInt64]

    public init(seed: UInt64) {
        var z = seed
        var s = [UInt64]()
        for _ in 0..<4 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            s.append(x ^ (x >> 31))
        }
        state = s
    }

    /// A generator for a named purpose (weights, dropout, shuffling) derived from one seed, so streams never overlap
    /// in a way that makes, say, changing dropout alter the initial weights.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed &* 0x2545_F491_4F6C_DD1D &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ stream)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits (exactly representable in Float32).
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal (Box–Muller), in double precision for initializers.
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextDouble(), 0x1p-60)
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle of `0..<count`, written into `order`.
    public mutating func shuffle(_ order: inout [Int]) {
        guard order.count > 1 else { return }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            order.swapAt(i, j)
        }
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
    import Darwin
    @inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
    @inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
