import RNNTraining

/// The learning curves of one report row: per epoch, the mean over its seeds and their sample standard
/// deviation, of every training and validation metric recorded (accuracy as a fraction).
///
/// The seeds are the row's completed trials, as in the table's means; a row with none (every seed failed,
/// diverged or is still running) shows all its trials instead, because how such runs went is what one wants to
/// see. Non-finite values (a diverged epoch) are left out of their epoch; an epoch that only some seeds reached
/// folds only those.
public struct LearningCurves: Sendable, Equatable {
    /// Points per metric (x = epoch), only for metrics some epoch recorded.
    public var series: [MetricKey: [SeriesPoint]]
    /// How many trials the curves fold.
    public var trialCount: Int
    /// False when the row had no completed trial and the curves fold trials of other statuses.
    public var completedOnly: Bool

    /// Folds `trials` (one row's) as described above.
    public init(trials: [ReportTrial]) {
        let completed = trials.filter { $0.row.status.isGood }
        let chosen = completed.isEmpty ? trials.filter { !$0.epochs.isEmpty } : completed
        trialCount = chosen.count
        completedOnly = !completed.isEmpty
        series = [:]
        let epochs = Set(chosen.flatMap { $0.epochs.map(\.epoch) }).sorted()
        // Each trial's records by epoch, once for every metric (the first record of an epoch, as before).
        let byEpoch = chosen.map { trial in
            Dictionary(trial.epochs.map { ($0.epoch, $0) }, uniquingKeysWith: { first, _ in first })
        }
        for key in MetricKey.all where key.split != .test {
            let points = epochs.compactMap { epoch -> SeriesPoint? in
                let values = byEpoch.compactMap { $0[epoch]?.value(key) }.filter(\.isFinite)
                guard let statistics = SampleStatistics(values) else { return nil }
                return SeriesPoint(x: Double(epoch), mean: statistics.mean, deviation: statistics.standardDeviation)
            }
            if !points.isEmpty { series[key] = points }
        }
    }

    /// The last epoch of any series (0 when nothing was recorded).
    public var lastEpoch: Int {
        Int(series.values.compactMap { $0.last?.x }.max() ?? 0)
    }
}
