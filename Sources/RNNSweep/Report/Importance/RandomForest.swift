import RNNCore

/// A random forest of ``RegressionTree``s as scikit-learn's `RandomForestRegressor(n_estimators=64, max_depth=64,
/// min_samples_split=2, min_samples_leaf=1)` that Optuna's fANOVA fits: each tree on a bootstrap sample (n draws
/// with replacement, a sample counted as often as drawn), every feature a split candidate.
///
/// Deterministic: tree `t` draws its bootstrap and feature orders from SplitMix64 stream `t` of `seed`, and the trees
/// are grown one after another, so the forest depends on the seed only (not on threads or timing). The draws differ
/// from scikit-learn's (another generator), so the two forests agree in distribution, not tree by tree.
public struct RandomForest: Sendable {
    public private(set) var trees: [RegressionTree]

    /// Optuna's `FanovaImportanceEvaluator` defaults.
    public static let defaultTreeCount = 64
    public static let defaultMaxDepth = 64

    public init(
        rows: [[Double]], targets: [Double], treeCount: Int = defaultTreeCount, maxDepth: Int = defaultMaxDepth,
        seed: UInt64
    ) {
        precondition(!rows.isEmpty && rows.count == targets.count, "a forest needs samples, one target each")
        trees = (0..<treeCount).map { index in
            var generator = SplitMix64.stream(UInt64(index), of: seed)
            var counts = [Double](repeating: 0, count: rows.count)
            for _ in rows.indices { counts[generator.nextInt(below: rows.count)] += 1 }
            return RegressionTree(
                rows: rows, targets: targets, weights: counts, maxDepth: maxDepth, generator: &generator)
        }
    }

    /// The mean prediction of the trees.
    public func predict(_ row: [Double]) -> Double {
        trees.reduce(0) { $0 + $1.predict(row) } / Double(trees.count)
    }
}
