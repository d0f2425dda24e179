/// The sentences that state the test, shared by the Markdown and HTML renderers.
extension SignificanceSummary {
    /// The caption's clause naming the test, when one ran: `test accuracy compared with the best row by Welch's
    /// t-test`.
    public var captionClause: String? {
        guard case .tested = outcome else { return nil }
        return "\(metric.phrase) compared with the best row by Welch's t-test"
    }

    /// The footnote under the table: what the marks of the compared column mean, with the test, α and the
    /// correction; or why the table cannot tell. Nil for a one-row table.
    public var footnote: String? {
        let alpha = "α = \(Self.alpha)"
        switch outcome {
        case .tested(let comparisons, let notCompared):
            let unit = metric.key?.metric.isFraction == true ? "in percentage points" : "in the column's unit"
            var text =
                "★ best (bold): the best \(metric.phrase) among the rows with 2 or more completed seeds. ▼: shown "
                + "worse than the best — Welch's two-sided t-test (Welch–Satterthwaite degrees of freedom) of each "
                + "row against the best, Holm's correction over \(comparisons) "
                + "\(comparisons == 1 ? "comparison" : "comparisons"), adjusted p ≤ \(alpha). ≈: the seeds cannot "
                + "tell the row from the best; its difference from the best (row − best, \(unit)) is given with its "
                + "95 % Welch confidence interval, which is not adjusted for the number of comparisons (it can exclude "
                + "0 where Holm's correction does not)."
            if notCompared > 0 {
                text += " \(notCompared == 1 ? "1 row has" : "\(notCompared) rows have") fewer than 2 completed seeds "
                text += "and \(notCompared == 1 ? "is" : "are") not compared."
            }
            return text
        case .oneSeedPerRow:
            return "One seed per row: the table cannot tell which differences are real (Welch's t-test needs at "
                + "least 2 seeds per row); bold marks only the best value."
        case .oneReplicatedRow:
            return "Only one row has 2 or more completed seeds: the table cannot tell which differences are real; "
                + "bold marks only the best value."
        case .singleRow:
            return nil
        }
    }
}
