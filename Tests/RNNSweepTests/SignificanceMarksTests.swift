import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The arithmetic behind the honest marks against SciPy and statsmodels (`Scripts/reference/significance_reference.py`,
/// values in `SignificanceReferenceValues.swift`): Student-t quantiles, Welch's confidence intervals, the noncentral t
/// CDF and the seeds per row for a target power; and the chance rule.
@Suite("Honest marks: quantiles, intervals, power, chance")
struct SignificanceMarksTests {
    @Test func quantilesMatchSciPy() {
        #expect(studentTQuantileReference.count > 100)
        for row in studentTQuantileReference {
            let quantile = StudentT.quantile(row.p, degreesOfFreedom: row.nu)
            #expect(
                abs(quantile - row.quantile) <= 1e-9 * max(abs(row.quantile), 1e-300) || quantile == row.quantile,
                "t_\(row.p)(ν = \(row.nu)) = \(quantile), SciPy \(row.quantile)")
        }
        #expect(StudentT.quantile(0, degreesOfFreedom: 3) == -.infinity)
        #expect(StudentT.quantile(1, degreesOfFreedom: 3) == .infinity)
        #expect(StudentT.quantile(1.5, degreesOfFreedom: 3).isNaN)
    }

    @Test func quantileInvertsTheCDF() {
        for nu in [1.3, 4.0, 17.5] {
            for p in [0.01, 0.2, 0.7, 0.975] {
                let t = StudentT.quantile(p, degreesOfFreedom: nu)
                #expect(abs(StudentT.cdf(t, degreesOfFreedom: nu) - p) < 1e-13, "p = \(p), ν = \(nu)")
            }
        }
    }

    @Test func welchIntervalsMatchSciPy() throws {
        #expect(welchIntervalReference.count >= 6)
        for row in welchIntervalReference {
            let test = try #require(WelchTest(row.first, row.second))
            let (low, high) = test.confidenceInterval(level: 0.95)
            // Relative to the half-width, so a bound near 0 is held to the same precision as the others.
            let scale = (row.high - row.low) / 2
            #expect(abs(test.difference - row.difference) <= 1e-12 * max(abs(row.difference), scale), "\(row)")
            #expect(abs(low - row.low) <= 1e-9 * max(abs(row.low), scale), "\(row): low \(low)")
            #expect(abs(high - row.high) <= 1e-9 * max(abs(row.high), scale), "\(row): high \(high)")
        }
        // Both samples without spread: the difference is exact.
        let exact = try #require(WelchTest([0.5, 0.5], [0.4, 0.4]))
        let interval = exact.confidenceInterval()
        #expect(abs(interval.low - 0.1) < 1e-15 && interval.low == interval.high)
    }

    @Test func noncentralTMatchesSciPy() {
        #expect(noncentralTReference.count > 150)
        var worst = 0.0
        for row in noncentralTReference {
            let cdf = NoncentralT.cdf(row.t, degreesOfFreedom: row.nu, noncentrality: row.delta)
            worst = max(worst, abs(cdf - row.cdf))
            #expect(
                abs(cdf - row.cdf) < 1e-10, "F(\(row.t); ν = \(row.nu), δ = \(row.delta)) = \(cdf), SciPy \(row.cdf)")
        }
        // δ = 0 is the central t.
        #expect(
            abs(NoncentralT.cdf(1.3, degreesOfFreedom: 5, noncentrality: 0) - StudentT.cdf(1.3, degreesOfFreedom: 5))
                < 1e-13)
    }

    @Test func seedsForPowerMatchStatsmodelsExactly() {
        #expect(seedsForPowerReference.count >= 30)
        for row in seedsForPowerReference {
            let seeds = TwoSampleTPower.perGroup(effectSize: row.d, alpha: row.alpha, power: row.power)
            #expect(
                seeds == row.seeds, "d = \(row.d), α = \(row.alpha), power \(row.power): \(String(describing: seeds))")
            // At statsmodels' fractional root the power is the target.
            let power = TwoSampleTPower.power(effectSize: row.d, perGroup: row.n, alpha: row.alpha)
            #expect(abs(power - row.power) < 1e-7, "power at n = \(row.n) is \(power)")
        }
        // Two seeds already reach the target; no difference is never detected.
        #expect(TwoSampleTPower.perGroup(effectSize: 2.9, alpha: 0.1, power: 0.5) == 2)
        #expect(TwoSampleTPower.perGroup(effectSize: 0, alpha: 0.05, power: 0.8) == nil)
        #expect(TwoSampleTPower.perGroup(effectSize: 1e-4, alpha: 0.05, power: 0.8, limit: 1000) == nil)
    }

    @Test func bestContrastUsesThePooledSpread() throws {
        // Row − best = −0.02; pooled sd of two samples with sd 0.01 each = 0.01, so d = 2: statsmodels gives 5.09 → 6.
        let row = try #require(SampleStatistics([0.80, 0.81, 0.82]))
        let best = try #require(SampleStatistics([0.82, 0.83, 0.84]))
        let contrast = try #require(BestContrast(row, best: best))
        #expect(abs(contrast.difference + 0.02) < 1e-12)
        #expect(contrast.seedsFor80Power == 6)
        #expect(contrast.low < contrast.difference && contrast.difference < contrast.high)
        #expect(BestContrast(try #require(SampleStatistics([0.8])), best: best) == nil)
    }

    @Test func chanceIsTheMajorityClassRatePlusOnePoint() throws {
        // 60 of 100 test examples are class 0.
        let confusion = [[60, 0], [40, 0]]
        let rate = try #require(ChanceLevel.majorityRate(confusion: confusion))
        #expect(rate == 0.6)
        #expect(ChanceLevel.isAtChance(meanAccuracy: 0.6, rate: rate))
        #expect(ChanceLevel.isAtChance(meanAccuracy: 0.605, rate: rate))
        #expect(!ChanceLevel.isAtChance(meanAccuracy: 0.62, rate: rate))
        #expect(ChanceLevel.majorityRate(confusion: []) == nil)
        #expect(ChanceLevel.majorityRate(confusion: [[0, 0], [0, 0]]) == nil)
    }

    @Test func signedDifferencesInDisplayUnits() {
        #expect(ReportTable.signed(-0.0123, .testAccuracy) == "−1.23")
        #expect(ReportTable.signed(0.004, .testAccuracy) == "+0.40")
        #expect(ReportTable.signed(0, .testAccuracy) == "0.00")
        #expect(ReportTable.signed(-0.00001, .testAccuracy) == "0.00")
        #expect(ReportTable.signed(0.0013, .metric(MetricKey(.test, .mae))) == "+0.0013")
        #expect(ReportTable.pText(0.0123) == "0.012")
    }
}
