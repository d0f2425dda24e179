/// How a compared row stands against the best row beyond its p-value: the difference of its mean from the best's,
/// that difference's 95 % Welch confidence interval (``WelchTest/confidenceInterval(level:)``), and how many seeds
/// per row a two-sided two-sample t-test would need to detect it at 80 % power (``TwoSampleTPower``, α = 0.05,
/// effect size d = |difference| / pooled sd). A row the seeds cannot tell from the best reads as "≈ difference
/// [low, high]", so a reader sees how large a difference the seeds could have hidden, not just "not significant".
public struct BestContrast: Sendable, Equatable {
    /// The power the seeds estimate aims at.
    public static let power = 0.8
    /// The level of the interval.
    public static let level = 0.95

    /// Row mean − best mean.
    public var difference: Double
    public var low: Double
    public var high: Double
    /// Seeds per row for 80 % power at α = ``SignificanceSummary/alpha``; nil when the rows have no spread (the
    /// difference is exact) or no difference, or when more than a million seeds would be needed.
    public var seedsFor80Power: Int?

    /// The contrast of `row` with `best`; nil unless both have at least 2 finite values.
    public init?(_ row: SampleStatistics, best: SampleStatistics) {
        guard let test = WelchTest(row.values, best.values), let s1 = row.standardDeviation,
            let s2 = best.standardDeviation
        else { return nil }
        difference = test.difference
        (low, high) = test.confidenceInterval(level: Self.level)
        let n1 = Double(row.count)
        let n2 = Double(best.count)
        let pooled = (((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2)).squareRoot()
        seedsFor80Power =
            pooled > 0
            ? TwoSampleTPower.perGroup(
                effectSize: abs(difference) / pooled, alpha: SignificanceSummary.alpha, power: Self.power) : nil
    }

    /// One contrast per row of a compared table (`marks` from ``SignificanceSummary/compare(_:metric:)``): for the
    /// rows tested against the best, nil for the best row itself and rows not compared.
    static func contrasts(_ rows: [ReportRow], marks: [VersusBest], metric: ReportMetric) -> [BestContrast?] {
        guard let bestIndex = marks.firstIndex(of: .best), let best = rows[bestIndex].statistics[metric] else {
            return rows.map { _ in nil }
        }
        return rows.indices.map { index in
            guard marks[index].pValue != nil, let statistics = rows[index].statistics[metric] else { return nil }
            return BestContrast(statistics, best: best)
        }
    }
}
