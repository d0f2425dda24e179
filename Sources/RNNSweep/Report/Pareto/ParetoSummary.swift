/// Which rows of a report are Pareto-optimal for `--objectives`: rows are configurations (seeds folded), compared on
/// their means; a row without a finite mean of every objective is not a candidate.
public struct ParetoSummary: Sendable, Equatable {
    /// The objectives, in the order given; each has a direction (``ReportMetric/higherIsBetter``).
    public var objectives: [ReportMetric]
    /// Per row of the table, in row order: on the front.
    public var optimal: [Bool]

    /// Marks `rows` on `objectives`, which must all have a direction.
    init(rows: [ReportRow], objectives: [ReportMetric]) {
        self.objectives = objectives
        let points = rows.map { row in objectives.map { row.statistics[$0]?.mean } }
        optimal = ParetoFront.optimal(points, higherIsBetter: objectives.map { $0.higherIsBetter! })
    }

    /// Checks that every objective has a direction (names the first that has none) and that there is one.
    static func validate(_ objectives: [ReportMetric]) throws(ReportError) {
        if let undirected = objectives.first(where: { $0.higherIsBetter == nil }) {
            throw .objectiveWithoutDirection(undirected.rawValue)
        }
    }

    /// `test accuracy (higher is better), seconds (lower is better)`.
    public var objectivesText: String {
        objectives.map { "\($0.phrase) (\($0.higherIsBetter! ? "higher" : "lower") is better)" }
            .joined(separator: ", ")
    }

    /// The Markdown/HTML footnote: what the mark means.
    public var footnote: String {
        let count = optimal.filter { $0 }.count
        let marked =
            switch count {
            case 0: "no row: every row misses one of the objectives"
            case 1: "the row no other row beats on every objective at once"
            default: "the \(count) rows no other row beats on every objective at once"
            }
        return "Pareto: ✓ marks \(marked) (means over seeds; rows missing an objective are not candidates) — "
            + "objectives: " + objectivesText + "."
    }
}
