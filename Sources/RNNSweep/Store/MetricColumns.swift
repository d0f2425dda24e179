import RNNTraining

/// The database's metric columns, named by `MetricKey.recordName`: `epochs` holds every training and validation
/// metric, `trials` every test metric. A metric added to `Metric` needs its columns added by a migration too.
enum MetricColumns {
    /// `loss`, `accuracy`, `mae`, `rmse`, `val_loss`, …: the per-epoch columns.
    static let epoch: [MetricKey] = MetricKey.all.filter { $0.split != .test }
    /// `test_loss`, `test_accuracy`, `test_mae`, `test_rmse`.
    static let test: [MetricKey] = Metric.allCases.map { MetricKey(.test, $0) }

    /// The per-epoch column names, comma-separated, for SQL.
    static var epochList: String { epoch.map(\.recordName).joined(separator: ", ") }
}
