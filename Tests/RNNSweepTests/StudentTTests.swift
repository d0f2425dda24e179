import Foundation
import Testing

@testable import RNNSweep

/// The Student-t CDF, Welch's test and Holm's correction against SciPy (`Scripts/reference/student_t_reference.py`,
/// values in `StudentTReferenceValues.swift`) and hand-worked cases.
@Suite("Student t, Welch and Holm")
struct StudentTTests {
    /// |actual − expected| ≤ 1e-6 · |expected|: a relative bound, so tiny tails are checked too.
    static func close(_ actual: Double, _ expected: Double, relative: Double = 1e-6) -> Bool {
        abs(actual - expected) <= relative * abs(expected)
    }

    @Test func cdfAndSurvivalMatchSciPyOnBothTails() {
        #expect(studentTReference.count > 250)
        #expect(Set(studentTReference.map(\.nu)).isSuperset(of: [1, 2, 3.7, 30, 1000]))
        #expect(studentTReference.contains { $0.t == 1e6 } && studentTReference.contains { $0.t == -1e6 })
        var worst = 0.0
        for row in studentTReference {
            let cdf = StudentT.cdf(row.t, degreesOfFreedom: row.nu)
            let survival = StudentT.survival(row.t, degreesOfFreedom: row.nu)
            #expect(Self.close(cdf, row.cdf), "cdf(\(row.t), ν = \(row.nu)) = \(cdf), SciPy \(row.cdf)")
            #expect(
                Self.close(survival, row.survival), "sf(\(row.t), ν = \(row.nu)) = \(survival), SciPy \(row.survival)")
            worst = max(worst, abs(cdf - row.cdf) / row.cdf, abs(survival - row.survival) / row.survival)
        }
        // The continued fraction is good to a few ulps, far inside the 1e-6 the report needs.
        #expect(worst < 1e-9, "worst relative error \(worst)")
    }

    @Test func closedFormsAndSymmetry() {
        // ν = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π; ν = 2: F(t) = ½ + t / (2√(2 + t²)).
        for t in [-7.0, -1, -0.3, 0, 0.3, 1, 7] {
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 1) - (0.5 + atan(t) / .pi)) < 1e-14)
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 2) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 1e-14)
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 3.7) + StudentT.cdf(-t, degreesOfFreedom: 3.7) - 1) < 1e-15)
        }
        #expect(StudentT.twoSidedP(0, degreesOfFreedom: 4) == 1)
        #expect(StudentT.twoSidedP(.infinity, degreesOfFreedom: 4) == 0)
        #expect(StudentT.cdf(-.infinity, degreesOfFreedom: 4) == 0 && StudentT.cdf(.infinity, degreesOfFreedom: 4) == 1)
        #expect(StudentT.cdf(.nan, degreesOfFreedom: 4).isNaN)
        // The 97.5 % quantile of t(4) is 2.7764451051977987.
        #expect(abs(StudentT.twoSidedP(2.7764451051977987, degreesOfFreedom: 4) - 0.05) < 1e-12)
    }

    @Test func welchMatchesSciPy() throws {
        for row in welchReference {
            let test = try #require(WelchTest(row.first, row.second))
            #expect(Self.close(test.t, row.t), "\(row)")
            #expect(Self.close(try #require(test.degreesOfFreedom), row.nu), "\(row)")
            #expect(Self.close(test.pValue, row.p), "\(row): p = \(test.pValue)")
        }
    }

    @Test func welchEdgeCases() throws {
        #expect(WelchTest([0.9], [0.8, 0.85]) == nil)
        #expect(WelchTest([0.9, .nan], [0.8, 0.85]) == nil)
        // Identical seeds on both sides: equal means are indistinguishable, different means are different.
        let same = try #require(WelchTest([0.9, 0.9, 0.9], [0.9, 0.9]))
        #expect(same.pValue == 1 && same.t == 0 && same.degreesOfFreedom == nil)
        // (Values whose mean is exact in binary, so the variances are exactly zero.)
        let apart = try #require(WelchTest([0.5, 0.5], [0.25, 0.25, 0.25]))
        #expect(apart.pValue == 0 && apart.t == .infinity)
        // One zero variance: ν is the other sample's n − 1.
        let one = try #require(WelchTest([0.5, 0.5, 0.5], [0.51, 0.49, 0.53, 0.52]))
        #expect(abs(one.degreesOfFreedom! - 3) < 1e-12)
    }

    @Test func holmAdjustsStepDown() {
        // m = 4: sorted 0.01, 0.02, 0.03, 0.5 → 4·0.01, max(0.04, 3·0.02), max(0.06, 2·0.03), max(0.06, 0.5).
        let adjusted = HolmCorrection.adjusted([0.03, 0.5, 0.01, 0.02])
        let expected = [0.06, 0.5, 0.04, 0.06]
        #expect(zip(adjusted, expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(adjusted)")
        // Monotone in the sorted order and capped at 1.
        #expect(HolmCorrection.adjusted([0.4, 0.3]) == [0.6, 0.6])
        #expect(HolmCorrection.adjusted([0.9, 0.8, 0.7]) == [1, 1, 1])
        #expect(HolmCorrection.adjusted([0.2]) == [0.2])
        #expect(HolmCorrection.adjusted([]) == [])
    }
}
