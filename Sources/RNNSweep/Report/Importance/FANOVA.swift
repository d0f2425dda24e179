/// fANOVA importances over a random forest, as Optuna's `FanovaImportanceEvaluator` computes them: per tree whose
/// function is not constant, the variance of a parameter's marginal divided by the tree's total variance; the
/// importance is the mean of that fraction over those trees; the importances are then normalised to sum 1
/// (`get_param_importances(normalize=True)`; all zero gives each 1/count).
public enum FANOVA {
    /// The normalised importance of each parameter. `groups[p]` are parameter p's columns (one, or its one-hot
    /// columns); `bounds` the search space's `(lower, upper)` per column, `lower < upper`.
    public static func importances(
        forest: RandomForest, bounds: [(lower: Double, upper: Double)], groups: [[Int]]
    ) -> [Double] {
        let trees = forest.trees.map { FANOVATree(tree: $0, bounds: bounds) }.filter { $0.variance > 0 }
        guard !trees.isEmpty else { return groups.map { _ in 1 / Double(groups.count) } }
        let raw = groups.map { columns in
            trees.reduce(0) { $0 + $1.marginalVariance(columns) / $1.variance } / Double(trees.count)
        }
        let sum = raw.reduce(0, +)
        return sum == 0 ? raw.map { _ in 1 / Double(raw.count) } : raw.map { $0 / sum }
    }
}
