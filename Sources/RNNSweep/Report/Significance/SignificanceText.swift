/// The sentences that state the test, shared by the Markdown and HTML renderers.
extension SignificanceSummary {
    /// The caption's clause naming the test, when one ran: `test accuracy compared with the best row by Welch's
    /// t-test`.
    public var captionClause: String? {
        guard case .tested = outcome else { return nil }
        return "\(metric.phrase) compared with the best row by Welch's t-test"
    }

    /// The footnote under the table: what bold means in the compared column, with the test, α and the correction;
    /// or why the table cannot tell. Nil for a one-row table.
    public var footnote: String? {
        let alpha = "α = \(Self.alpha)"
        switch outcome {
        case .tested(let comparisons, let notCompared):
            var text =
                "Bold \(metric.phrase): the best row and every row not significantly different from it — Welch's "
                + "two-sided t-test (Welch–Satterthwaite degrees of freedom) of each row against the best, \(alpha), "
                + "Holm's correction over \(comparisons) \(comparisons == 1 ? "comparison" : "comparisons")."
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
