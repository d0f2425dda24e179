/// Whether a trial belongs to its sweep's current definition (the trials the latest registration expanded to) or
/// was superseded by an edit of the experiment file (``SupersededTrials``). Reports and `status` show the current
/// trials; with `--all-trials` they show both, and this report key (a column, like `data`) tells them apart.
public enum TrialDefinition {
    /// The report key of the column `--all-trials` adds when the sweep has superseded trials.
    public static let key = "definition"
    /// The key's value for `row`: `current` or `superseded`.
    public static func label(_ row: TrialRow) -> String { row.isSuperseded ? "superseded" : "current" }
}
