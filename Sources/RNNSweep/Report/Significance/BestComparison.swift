/// How a row's compared metric stands against the best row (see ``SignificanceSummary``).
public enum VersusBest: Sendable, Equatable {
    /// The reference: the best mean among the rows with at least 2 completed seeds.
    case best
    /// Not significantly different from the best: Holm-adjusted `p` > α.
    case tied(p: Double)
    /// Significantly different from the best: Holm-adjusted `p` ≤ α.
    case different(p: Double)
    /// Not tested: fewer than 2 finite values in this row, or no test ran in this table.
    case notCompared

    /// The Holm-adjusted p-value against the best row; nil for the best row itself and rows not compared.
    public var pValue: Double? {
        switch self {
        case .tied(let p), .different(let p): return p
        case .best, .notCompared: return nil
        }
    }

    /// Whether the row shares the mark of the best; nil when it was not compared.
    public var isTiedWithBest: Bool? {
        switch self {
        case .best, .tied: return true
        case .different: return false
        case .notCompared: return nil
        }
    }
}

/// Which differences in one metric column are real: every row with ≥ 2 completed seeds is compared with the best
/// such row by Welch's two-sided t-test (``WelchTest``), and the p-values are Holm-corrected over those
/// comparisons (``HolmCorrection``). Rows not significantly different from the best at α share its mark.
///
/// Decisions: a row with fewer than 2 values (one seed, or every seed failed) is never compared and never
/// marked — a single run has no spread to test against — so the best is chosen among the compared rows only.
/// Zero variance follows ``WelchTest``: identical seeds in both rows tie when the means are equal and differ
/// otherwise. With fewer than two rows of ≥ 2 seeds nothing is tested, and the renderers fall back to marking
/// the plain best value and say that the table cannot tell.
public struct SignificanceSummary: Sendable, Equatable {
    /// The level of every comparison, after Holm's correction.
    public static let alpha = 0.05

    public enum Outcome: Sendable, Equatable {
        /// `comparisons` rows were tested against the best; `notCompared` rows had fewer than 2 values.
        case tested(comparisons: Int, notCompared: Int)
        /// No row has 2 or more values.
        case oneSeedPerRow
        /// Exactly one row has 2 or more values: there is nothing to compare it with.
        case oneReplicatedRow
        /// The table has one row.
        case singleRow
    }

    /// The compared metric (the table's sort metric, by default test accuracy).
    public var metric: ReportMetric
    public var outcome: Outcome

    /// Compares `rows` in `metric` (which must have a direction); returns the summary and one mark per row.
    static func compare(_ rows: [ReportRow], metric: ReportMetric) -> (SignificanceSummary, [VersusBest]) {
        precondition(metric.higherIsBetter != nil, "only a metric with a direction has a best row")
        var marks = [VersusBest](repeating: .notCompared, count: rows.count)
        func summary(_ outcome: Outcome) -> (SignificanceSummary, [VersusBest]) {
            (SignificanceSummary(metric: metric, outcome: outcome), marks)
        }
        if rows.count < 2 { return summary(.singleRow) }
        let replicated = rows.indices.compactMap { index -> (index: Int, statistics: SampleStatistics)? in
            guard let statistics = rows[index].statistics[metric], statistics.count >= 2,
                statistics.values.allSatisfy(\.isFinite)
            else { return nil }
            return (index, statistics)
        }
        if replicated.isEmpty { return summary(.oneSeedPerRow) }
        if replicated.count == 1 { return summary(.oneReplicatedRow) }
        let higher = metric.higherIsBetter!
        // The first row wins a tie of means, so the reference does not depend on floating-point luck.
        var best = replicated[0]
        for candidate in replicated.dropFirst() {
            let mean = candidate.statistics.mean
            if higher ? mean > best.statistics.mean : mean < best.statistics.mean { best = candidate }
        }
        let others = replicated.filter { $0.index != best.index }
        // WelchTest is non-nil here: both samples have ≥ 2 finite values.
        let raw = others.map { WelchTest($0.statistics.values, best.statistics.values)!.pValue }
        marks[best.index] = .best
        for (other, p) in zip(others, HolmCorrection.adjusted(raw)) {
            marks[other.index] = p > alpha ? .tied(p: p) : .different(p: p)
        }
        return summary(.tested(comparisons: others.count, notCompared: rows.count - replicated.count))
    }

    /// The metric to compare in a table showing `metrics`: the sort metric when it is shown and has a direction,
    /// else the first test metric shown that is not the loss (test accuracy, test MAE), else the first shown metric
    /// with a direction; nil when none has one. Its direction decides which row is best.
    static func comparedMetric(sort: ReportMetric?, metrics: [ReportMetric]) -> ReportMetric? {
        if let sort, sort.higherIsBetter != nil, metrics.contains(sort) { return sort }
        if let test = metrics.first(where: { $0.key?.split == .test && $0.key?.metric != .loss }) { return test }
        return metrics.first { $0.higherIsBetter != nil }
    }
}
