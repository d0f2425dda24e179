import Foundation

/// The marks of the compared column, shared by every renderer: `★ best` for the best row, `▼ p = …` for a row
/// shown worse, `≈ difference [low, high]` for a row the seeds cannot tell from the best, `at chance` for a
/// classifier no better than predicting the test set's most frequent class (``ChanceLevel``).
extension ReportTable {
    /// Whether the table shows the marks column: the compared metric was tested, or some row is at chance.
    public var showsMarks: Bool {
        if let significance, case .tested = significance.outcome { return true }
        return rows.indices.contains { isAtChance(row: $0) }
    }

    /// Whether row `index` is at chance: the compared metric is test accuracy, the row's test set has a recorded
    /// majority-class rate, and the row's mean does not exceed it by more than ``ChanceLevel/margin``.
    public func isAtChance(row index: Int) -> Bool {
        guard let significance, significance.metric == .testAccuracy, let rate = rows[index].chanceLevel,
            let mean = rows[index].statistics[.testAccuracy]?.mean, mean.isFinite
        else { return false }
        return ChanceLevel.isAtChance(meanAccuracy: mean, rate: rate)
    }

    /// The marks of row `index`: `★ best`, `▼ p = 0.012`, `≈ −1.20 [−3.40, +1.00]` (in the column's display unit:
    /// points for percentages), each followed by `at chance` when it applies; empty when the row has none.
    public func marksText(row index: Int) -> String {
        guard let significance else { return "" }
        let row = rows[index]
        var parts: [String] = []
        switch row.versusBest {
        case .best:
            parts.append("★ best")
        case .different(let p):
            parts.append("▼ p = " + Self.pText(p))
        case .tied:
            if let contrast = row.contrast {
                let metric = significance.metric
                parts.append(
                    "≈ \(Self.signed(contrast.difference, metric)) [\(Self.signed(contrast.low, metric)), "
                        + "\(Self.signed(contrast.high, metric))]")
            } else {
                parts.append("≈")
            }
        case .notCompared:
            break
        }
        if isAtChance(row: index) { parts.append("at chance") }
        return parts.joined(separator: ", ")
    }

    /// The footnote under the table: what the marks mean (``SignificanceSummary/footnote``), how many seeds per row
    /// would resolve the closest unresolved difference, and the chance rule when a row is at chance.
    public var marksFootnote: String? {
        guard let significance else { return nil }
        var sentences: [String] = []
        if let footnote = significance.footnote { sentences.append(footnote) }
        if let closest = rows.indices.filter({ rows[$0].versusBest.isUnresolved && rows[$0].contrast != nil })
            .min(by: { abs(rows[$0].contrast!.difference) < abs(rows[$1].contrast!.difference) }),
            let contrast = rows[closest].contrast, let seeds = contrast.seedsFor80Power
        {
            let label = parameterColumns.map { "\($0.title) \($0.text(for: rows[closest].parameters))" }
            let unit = significance.metric.key?.metric.isFraction == true ? " points" : ""
            sentences.append(
                "The closest unresolved row (\(label.isEmpty ? "" : label.joined(separator: ", ") + ": ")"
                    + "\(Self.signed(contrast.difference, significance.metric))\(unit)) would need \(seeds) seeds per "
                    + "row for a two-sided two-sample t-test at α = \(SignificanceSummary.alpha) to detect its "
                    + "difference with 80 % power (effect size |difference| / pooled sd).")
        }
        let chance = rows.indices.filter { isAtChance(row: $0) }
        if let first = chance.first, let rate = rows[first].chanceLevel {
            let rates = Set(chance.compactMap { rows[$0].chanceLevel })
            let rateText = rates.count == 1 ? String(format: "%.2f %%", rate * 100) : "its test set's"
            sentences.append(
                "At chance: a mean test accuracy not more than \(Int(ChanceLevel.margin * 100)) percentage point "
                    + "above the majority-class rate of the test set (\(rateText)), what predicting the most "
                    + "frequent class scores.")
        }
        return sentences.isEmpty ? nil : sentences.joined(separator: " ")
    }

    /// `0.012`, `3.1e-05`: two significant digits.
    static func pText(_ p: Double) -> String { String(format: "%.2g", p) }

    /// A difference in the metric's display unit with its sign: `+1.00`, `−3.40`, `0.00`.
    static func signed(_ value: Double, _ metric: ReportMetric) -> String {
        let text = MetricText.format(abs(value), metric, count: 2)
        if value == 0 || Double(text) == 0 { return text }
        return (value < 0 ? "−" : "+") + text
    }
}

extension VersusBest {
    /// Whether the seeds cannot tell the row from the best (`≈`).
    public var isUnresolved: Bool {
        if case .tied = self { return true }
        return false
    }
}
