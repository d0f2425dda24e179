import Testing

@testable import RNNSweep

/// `WelchInterval` against SciPy (`Scripts/reference/welch_interval_reference.py`, values in
/// `WelchIntervalReferenceValues.swift`), to a relative 1e-9, and `StudentT.quantile` as the CDF's inverse.
@Suite("Welch interval and t quantile")
struct WelchIntervalTests {
    static func close(_ actual: Double, _ expected: Double, relative: Double = 1e-9) -> Bool {
        abs(actual - expected) <= relative * abs(expected)
    }

    @Test func intervalsMatchSciPy() throws {
        #expect(welchComparisonReference.count >= 5)
        for row in welchComparisonReference {
            let interval = try #require(WelchInterval(row.first, row.second))
            #expect(Self.close(interval.difference, row.difference), "\(row)")
            #expect(Self.close(interval.low, row.low), "\(row): low \(interval.low)")
            #expect(Self.close(interval.high, row.high), "\(row): high \(interval.high)")
            #expect(Self.close(try #require(interval.degreesOfFreedom), row.nu), "\(row)")
            #expect(Self.close(interval.pValue, row.p), "\(row): p \(interval.pValue)")
            #expect(interval.low < interval.difference && interval.difference < interval.high)
        }
    }

    /// (SciPy's quantiles themselves are checked in `SignificanceMarksTests`.)
    @Test func quantilesInvertTheCDF() {
        for nu in [1.0, 2.5, 9, 400] {
            for p in [0.001, 0.1, 0.37, 0.8, 0.999] {
                let t = StudentT.quantile(p, degreesOfFreedom: nu)
                #expect(abs(StudentT.cdf(t, degreesOfFreedom: nu) - p) < 1e-13 * max(1, p / (1 - p)))
                #expect(Self.close(StudentT.quantile(1 - p, degreesOfFreedom: nu), -t, relative: 1e-12))
            }
        }
    }

    @Test func edgeCases() throws {
        #expect(WelchInterval([0.9], [0.8, 0.85]) == nil)
        #expect(WelchInterval([0.9, .nan], [0.8, 0.85]) == nil)
        // Both sides without spread: the interval is the difference itself.
        let still = try #require(WelchInterval([0.5, 0.5], [0.25, 0.25, 0.25]))
        #expect(still.low == still.difference && still.high == still.difference && still.degreesOfFreedom == nil)
        #expect(still.pValue == 0)
        // A wider level gives a wider interval around the same difference.
        let a = [0.81, 0.83, 0.82, 0.84]
        let b = [0.80, 0.79, 0.83]
        let narrow = try #require(WelchInterval(a, b, level: 0.9))
        let wide = try #require(WelchInterval(a, b, level: 0.99))
        #expect(wide.low < narrow.low && wide.high > narrow.high && wide.difference == narrow.difference)
    }
}
