import Testing

@testable import RNNSweep

/// `ParetoFront` against the definition (an O(n²) dominance check) on random inputs, and hand cases.
@Suite("Pareto front")
struct ParetoFrontTests {
    /// The definition: a point with every coordinate finite that no other such point dominates.
    static func bruteForce(_ points: [[Double?]], _ higher: [Bool]) -> [Bool] {
        func finite(_ point: [Double?]) -> [Double]? {
            let values = point.compactMap { $0 }.filter(\.isFinite)
            return values.count == point.count ? values : nil
        }
        func dominates(_ a: [Double], _ b: [Double]) -> Bool {
            var strictly = false
            for k in a.indices {
                let (x, y) = higher[k] ? (a[k], b[k]) : (-a[k], -b[k])
                if x < y { return false }
                if x > y { strictly = true }
            }
            return strictly
        }
        return points.map { point in
            guard let p = finite(point) else { return false }
            return !points.contains { other in finite(other).map { dominates($0, p) } ?? false }
        }
    }

    /// SplitMix64, so the cases are the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test func agreesWithTheDefinitionOnRandomInputs() {
        var random = Generator(state: 23)
        var fronts = 0
        for _ in 0..<600 {
            let objectives = 1 + random.below(4)
            let higher = (0..<objectives).map { _ in random.below(2) == 0 }
            // Few distinct values, so ties and equal vectors are frequent; now and then a missing or NaN value.
            let points: [[Double?]] = (0..<random.below(16)).map { _ in
                (0..<objectives).map { _ -> Double? in
                    switch random.below(20) {
                    case 0: return nil
                    case 1: return .nan
                    default: return Double(random.below(6)) * 0.25
                    }
                }
            }
            let expected = Self.bruteForce(points, higher)
            #expect(ParetoFront.optimal(points, higherIsBetter: higher) == expected, "\(points) \(higher)")
            fronts += expected.filter { $0 }.count
        }
        #expect(fronts > 600, "the random cases must have fronts to compare")
    }

    @Test func equalVectorsAreBothOptimal() {
        let points: [[Double?]] = [[0.9, 10], [0.9, 10], [0.8, 10], [0.95, 30]]
        #expect(ParetoFront.optimal(points, higherIsBetter: [true, false]) == [true, true, false, true])
    }

    @Test func missingAndNonFiniteValuesAreNeverCandidates() {
        let points: [[Double?]] = [[0.99, nil], [.nan, 1], [0.5, 5], [.infinity, 0]]
        #expect(ParetoFront.optimal(points, higherIsBetter: [true, false]) == [false, false, true, false])
    }

    @Test func oneObjectiveKeepsTheBestAndItsTies() {
        let points: [[Double?]] = [[3], [1], [1], [2], [nil]]
        #expect(ParetoFront.optimal(points, higherIsBetter: [false]) == [false, true, true, false, false])
        #expect(ParetoFront.optimal(points, higherIsBetter: [true]) == [true, false, false, false, false])
        #expect(ParetoFront.optimal([], higherIsBetter: [true]) == [])
    }

    @Test func directionsMatter() {
        // Accuracy up, seconds down: the fast weak and the slow strong are both optimal, the slow weak is not.
        let points: [[Double?]] = [[0.80, 2], [0.90, 9], [0.79, 9]]
        #expect(ParetoFront.optimal(points, higherIsBetter: [true, false]) == [true, true, false])
        #expect(ParetoFront.optimal(points, higherIsBetter: [true, true]) == [false, true, false])
    }
}
