/// The report metrics of one trial at the selected epoch.
import RNNTraining

struct TrialMetrics {
    /// The epoch the training/validation metrics come from, nil when the trial recorded none.
    let selected: EpochMetrics?
    let trial: ReportTrial

    init(_ trial: ReportTrial, epoch choice: ReportOptions.EpochChoice) {
        self.trial = trial
        switch choice {
        case .last:
            selected = trial.epochs.max { $0.epoch < $1.epoch }
        case .best:
            selected = TrialMetrics.best(trial.epochs, metric: trial.task.primaryMetric)
        }
    }

    /// The epoch with the best finite validation value of `metric` (the task's headline metric: highest accuracy,
    /// lowest MAE), or the best training value when no epoch has a validation one; the earliest on ties.
    static func best(_ epochs: [EpochMetrics], metric: Metric) -> EpochMetrics? {
        let ordered = epochs.sorted { $0.epoch < $1.epoch }
        let validation = MetricKey(.validation, metric)
        let key = ordered.contains { $0.value(validation)?.isFinite == true } ? validation : MetricKey(.train, metric)
        var best: (record: EpochMetrics, score: Double)?
        for record in ordered {
            guard let score = record.value(key), score.isFinite else { continue }
            let better =
                metric.higherIsBetter ? score > (best?.score ?? -.infinity) : score < (best?.score ?? .infinity)
            if best == nil || better { best = (record, score) }
        }
        return best?.record ?? ordered.last
    }

    func value(_ metric: ReportMetric) -> Double? {
        switch metric {
        case .metric(let key): key.split == .test ? trial.row.test[key.metric] : selected?.value(key)
        case .seconds: trial.row.seconds
        case .epochs: (trial.row.lastEpoch ?? trial.epochs.last?.epoch).map(Double.init)
        case .bestEpoch: selected.map { Double($0.epoch) }
        case .params: trial.parameterCount.map(Double.init)
        }
    }
}
