@testable import RNNEngine

/// Helpers shared by the tests that compare C kernels with scalar references bit for bit.
extension RandomSource {
    /// `count` values uniform in offset ± scale.
    mutating func uniform(_ count: Int, scale: Float = 1, offset: Float = 0) -> [Float] {
        (0..<count).map { _ in offset + scale * (2 * nextFloat() - 1) }
    }

    /// What a forward pass leaves in a gate buffer: `batch` rows, each one `units`-wide block per entry of `gates`,
    /// σ outputs in (0, 1) for `true`, tanh outputs in (−1, 1) for `false`.
    mutating func gateRows(batch: Int, units: Int, sigmoid gates: [Bool]) -> [Float] {
        var rows: [Float] = []
        for _ in 0..<batch {
            for isSigmoid in gates {
                rows += isSigmoid ? uniform(units, scale: 0.5, offset: 0.5) : uniform(units)
            }
        }
        return rows
    }
}

/// "element i: got vs expected" at the first bitwise difference, nil when there is none.
func firstBitwiseDifference(_ got: [Float], _ expected: [Float]) -> String? {
    precondition(got.count == expected.count)
    guard let i = got.indices.first(where: { got[$0].bitPattern != expected[$0].bitPattern }) else { return nil }
    return "element \(i): \(got[i]) vs \(expected[i])"
}
