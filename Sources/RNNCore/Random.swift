/// A seeded source of 64 random bits whose output is identical on every platform. The helpers below turn those bits
/// into floats, doubles and bounded integers the same way for every generator.
public protocol SeededGenerator {
    /// The next 64 random bits.
    mutating func next() -> UInt64
}

extension SeededGenerator {
    /// Uniform in [0, 1) with 24 random bits (exactly representable in Float32; never rounds up to 1).
    @inlinable @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's multiply-shift with rejection).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle of `order` in place.
    @inlinable
    public mutating func shuffle(_ order: inout [Int]) {
        guard order.count > 1 else { return }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, nextInt(below: i + 1))
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the seeder of `RandomSource` and the generator of the synthetic datasets.
///
/// Why there are two generators: SplitMix64's output defines every synthetic dataset (`adding`, `parity`,
/// `sum-sign`) and xoshiro256**'s defines every initial weight, dropout mask and shuffle already recorded in
/// databases and checkpoints. Replacing either would silently change the data or the training of existing trials
/// (a resumed trial would mix two streams), so both stay, sharing everything above `next()`.
public struct SplitMix64: SeededGenerator, Sendable {
    private var state: UInt64

    /// Starts the stream at `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal by the Marsaglia polar method (the `sum-sign` dataset is defined by it).
    public mutating func nextNormal() -> Double {
        while true {
            let u = 2 * nextDouble() - 1
            let v = 2 * nextDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// A generator for stream `stream` of `seed`: streams of one seed are unrelated to each other.
    public static func stream(_ stream: UInt64, of seed: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}

/// The engine's seeded generator: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64.
///
/// Our own generator (not the platform's) so that the same seed gives bit-identical weights, dropout masks and
/// shuffles on every machine; its whole state is four words, saved in checkpoints.
public struct RandomSource: SeededGenerator, Sendable, Codable, Hashable {
    public var state: [UInt64]

    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        state = (0..<4).map { _ in seeder.next() }
    }

    /// A generator for a named purpose (weights, dropout, shuffling) derived from one seed, so streams never overlap
    /// in a way that makes, say, changing dropout alter the initial weights.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed &* 0x2545_F491_4F6C_DD1D &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ stream)
    }

    @inlinable @inline(__always)
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

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Writes `count` successive `nextFloat()` values to `out`: the same stream, bit for bit, as calling it `count`
    /// times (a test checks it), with the four state words in registers for the whole loop. Through `next()` every
    /// draw pays the array's bounds and uniqueness checks: a dropout mask of the MLP (B·H draws per layer and batch)
    /// spent ~17 % of a training step there.
    @inlinable
    public mutating func fillFloats(_ out: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
        for i in 0..<count {
            // xoshiro256**, exactly as `next()`.
            let result = rotl(s1 &* 5, 7) &* 9
            let t = s1 << 17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = rotl(s3, 45)
            out[i] = Float(result >> 40) * 0x1p-24
        }
        state = [s0, s1, s2, s3]
    }

    /// Standard normal (Box–Muller) in double precision, for the initializers (they are defined by it).
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextDouble(), 0x1p-60)
        let u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
