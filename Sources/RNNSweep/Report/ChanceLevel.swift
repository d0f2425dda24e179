/// What a classifier scores by always predicting the test set's most frequent class: the majority-class rate of
/// the test set, read from a trial's recorded test confusion matrix (rows: true classes). A row whose mean test
/// accuracy is not more than ``margin`` (1 percentage point) above it learned nothing a constant could not do, and
/// the report says so. Regression has no such baseline here, and no mark.
public enum ChanceLevel {
    /// How far above the majority-class rate a mean must be to count as learning: 1 percentage point.
    public static let margin = 0.01

    /// The largest class's share of the test set; nil for an empty matrix.
    public static func majorityRate(confusion: [[Int]]) -> Double? {
        let counts = confusion.map { $0.reduce(0, +) }
        let total = counts.reduce(0, +)
        guard total > 0, let largest = counts.max() else { return nil }
        return Double(largest) / Double(total)
    }

    /// Whether a mean accuracy is at chance: not above `rate` + ``margin``.
    public static func isAtChance(meanAccuracy: Double, rate: Double) -> Bool {
        meanAccuracy <= rate + margin
    }
}
