import RNNTraining

/// How much of the variation of the optimized metric each searched parameter explains: fANOVA (``FANOVA``) over a
/// random forest (``RandomForest``) fitted on ``ImportanceObservations``, as Optuna's `FanovaImportanceEvaluator`
/// computes it, normalised to sum 1. The forest is seeded with a fixed seed, so a report is the same every time.
public struct ParameterImportance: Sendable {
    /// The seed of the forest's bootstrap samples and feature orders.
    public static let seed: UInt64 = 2014

    public var observations: ImportanceObservations
    public var treeCount: Int
    /// Each parameter with its importance, most important first (file order on ties).
    public var ranking: [(key: String, importance: Double)]

    public init(_ observations: ImportanceObservations, seed: UInt64 = seed, treeCount: Int = 64) {
        self.observations = observations
        self.treeCount = treeCount
        let (rows, bounds, groups) = observations.encoded()
        let forest = RandomForest(rows: rows, targets: observations.targets, treeCount: treeCount, seed: seed)
        let importances = FANOVA.importances(forest: forest, bounds: bounds, groups: groups)
        let ranked = zip(observations.parameters.map(\.key), importances).enumerated().sorted {
            ($1.element.1, $0.offset) < ($0.element.1, $1.offset)
        }
        ranking = ranked.map { (key: $0.element.0, importance: $0.element.1) }
    }

    /// What the chart shows, for the line under it: `importance of each parameter for val_accuracy at epoch 2,
    /// fANOVA over a random forest of 64 trees, 27 configurations`.
    public var caption: String {
        "importance of each parameter for \(observations.metric) at epoch \(observations.epoch), fANOVA over a "
            + "random forest of \(treeCount) trees, \(observations.targets.count) configurations"
    }
}
