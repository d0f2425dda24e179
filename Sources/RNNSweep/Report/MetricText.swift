import Foundation

/// How metric values read in Markdown and HTML: accuracies in percent with 2 decimals, losses 4, seconds and
/// epochs 1 (whole epochs for a single trial); `mean ± std` with the sample std when a row folds several seeds.
enum MetricText {
    /// One value in the metric's display unit; `NaN`, `inf`, `-inf` for non-finite values.
    static func format(_ value: Double, _ metric: ReportMetric, count: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let integral = (metric == .epochs || metric == .bestEpoch) && count == 1
        return String(format: "%.\(integral ? 0 : metric.displayDecimals)f", value * metric.displayScale)
    }

    /// The mean alone, as displayed.
    static func mean(_ statistics: SampleStatistics, _ metric: ReportMetric) -> String {
        format(statistics.mean, metric, count: statistics.count)
    }

    /// `mean ± std`, or the mean alone for one value.
    static func cell(_ statistics: SampleStatistics, _ metric: ReportMetric) -> String {
        var text = mean(statistics, metric)
        if let deviation = statistics.standardDeviation {
            text += " ± " + format(deviation, metric, count: statistics.count)
        }
        return text
    }
}
