/// Renders a ``SweepComparison`` as CSV: the matched parameters (raw values), then `a_mean`, `a_std`, `a_n`,
/// `b_mean`, `b_std`, `b_n`, `difference`, `ci_low`, `ci_high`, `df`, `p` — fractions at full precision, empty
/// where there is no value (a side that did not run the configuration, an interval with fewer than 2 seeds).
public struct ComparisonCSV: Sendable {
    public init() {}

    public static let valueColumns = [
        "a_mean", "a_std", "a_n", "b_mean", "b_std", "b_n", "difference", "ci_low", "ci_high", "df", "p",
    ]

    public func render(_ comparison: SweepComparison) -> String {
        var text = CSVFormat.record(comparison.matchedKeys + Self.valueColumns)
        for row in comparison.rows {
            var fields = comparison.matchedKeys.map { row.parameters[$0]?.description ?? "" }
            for side in [row.first, row.second] {
                fields += [
                    CSVFormat.number(side?.mean), CSVFormat.number(side?.standardDeviation),
                    side.map { String($0.count) } ?? "",
                ]
            }
            fields += [
                CSVFormat.number(row.difference), CSVFormat.number(row.interval?.low),
                CSVFormat.number(row.interval?.high), CSVFormat.number(row.interval?.degreesOfFreedom),
                CSVFormat.number(row.interval?.pValue),
            ]
            text += CSVFormat.record(fields)
        }
        return text
    }
}
