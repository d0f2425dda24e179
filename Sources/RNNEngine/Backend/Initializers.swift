/// Keras's default initializers, drawn from our own seeded generator.
enum Initializers {
    /// Keras `RandomUniform(minval, maxval)`: minval + (maxval − minval)·u, u uniform in [0, 1).
    static func uniform(
        _ out: UnsafeMutablePointer<Float>, count: Int, from low: Double, to high: Double, rng: inout RandomSource
    ) {
        for i in 0..<count { out[i] = Float(low + (high - low) * rng.nextDouble()) }
    }

    /// glorot_uniform: U(−l, l) with l = √(6 / (fan_in + fan_out)); for a 2-D kernel fan_in = rows, fan_out = columns.
    static func glorotUniform(_ out: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rng: inout RandomSource) {
        let limit = (6.0 / Double(rows + columns)).squareRoot()
        for i in 0..<(rows * columns) { out[i] = Float((rng.nextDouble() * 2 - 1) * limit) }
    }

    /// Keras `Orthogonal(gain=1)` for a `[rows, columns]` kernel: QR of a normal matrix of shape
    /// `(max(rows, columns), min(rows, columns))`, signs fixed so diag(R) > 0, transposed when rows < columns.
    /// Modified Gram–Schmidt in double precision gives exactly that Q (its R diagonal is positive by construction).
    static func orthogonal(_ out: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rng: inout RandomSource) {
        let m = max(rows, columns)
        let n = min(rows, columns)
        // a is m×n, stored column by column so each Gram–Schmidt vector is contiguous.
        var a = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n { a[j * m + i] = rng.nextGaussian() }
        }
        a.withUnsafeMutableBufferPointer { q in
            for j in 0..<n {
                let qj = q.baseAddress! + j * m
                for p in 0..<j {
                    let qp = q.baseAddress! + p * m
                    var dot = 0.0
                    for i in 0..<m { dot += qp[i] * qj[i] }
                    for i in 0..<m { qj[i] -= dot * qp[i] }
                }
                var norm = 0.0
                for i in 0..<m { norm += qj[i] * qj[i] }
                norm = norm.squareRoot()
                for i in 0..<m { qj[i] /= norm }
            }
        }
        // Q is m×n with orthonormal columns. rows ≥ columns: out = Q; otherwise out = Qᵀ.
        for r in 0..<rows {
            for c in 0..<columns {
                out[r * columns + c] = Float(rows >= columns ? a[c * m + r] : a[r * m + c])
            }
        }
    }
}
